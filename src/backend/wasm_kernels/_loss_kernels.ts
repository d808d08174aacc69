/**
 * The registration records of a loss's two wasm kernels: its value (inputs
 * p, y; a scalar out) and its gradient (inputs p, y and the scalar dy; dL/dp
 * out), as BCE's and MSE's are.
 * @module
 */
import { tf } from "../../deps.ts";
import { address, output, type WasmBackend, workspace } from "./_heap.ts";
import { runRanges } from "../kernel_threads.ts";
import type { KernelModule } from "../_kernel_parts.ts";

/** A loss's kernel module and its two functions (see asm/mse.ts). */
export interface LossFunctions {
  /** The module. */
  module: KernelModule;
  /** Its function writing the float64 sums of the loss's terms over fixed blocks of values. */
  partials: string;
  /** Its function writing dL/dp over a range of the values. */
  grad: string;
  /** The loss is `sign` times the mean of the terms. */
  sign: 1 | -1;
}

/**
 * Values per block of a loss's sum. The blocks are fixed, so the value is
 * the same on any number of kernel threads; each thread sums whole blocks.
 */
const BLOCK = 1 << 14;

/** p and y, checked to be float32 of one size; that size. */
function operands(
  name: string,
  inputs: tf.NamedTensorInfoMap,
): [tf.TensorInfo, tf.TensorInfo, number] {
  const { p, y } = inputs as Record<"p" | "y", tf.TensorInfo>;
  const n = tf.util.sizeFromShape(p.shape);
  if (p.dtype !== "float32" || y.dtype !== "float32" || tf.util.sizeFromShape(y.shape) !== n) {
    throw new Error(`${name}: p and y must be float32 of one size, got ${p.shape} and ${y.shape}`);
  }
  return [p, y, n];
}

/**
 * The value's and the gradient's records, named `names`, running `loss`'s
 * functions on the backend's heap, split among its kernel threads: the value
 * by blocks of values, whose sums are added here in order, the gradient by
 * ranges.
 */
export function lossKernelConfigs(
  names: { value: string; grad: string },
  loss: LossFunctions,
): [tf.KernelConfig, tf.KernelConfig] {
  return [
    {
      kernelName: names.value,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend }) => {
        const [p, y, n] = operands(names.value, inputs);
        const [out, at] = output(backend, []);
        const [pp, py] = [address(backend, p), address(backend, y)];
        const blocks = Math.ceil(n / BLOCK);
        const parts = workspace(backend, 8 * blocks);
        runRanges(backend, {
          module: loss.module,
          fn: loss.partials,
          size: blocks,
          unit: 1,
          elements: n,
          args: (block, count) => {
            const [from, to] = [block * BLOCK, Math.min(n, (block + count) * BLOCK)];
            return [pp + 4 * from, py + 4 * from, parts + 8 * block, to - from, BLOCK];
          },
        });
        const buffer = (backend as WasmBackend).wasm.asm.memory.buffer;
        let sum = 0;
        for (const part of new Float64Array(buffer, parts, blocks)) sum += part;
        new Float32Array(buffer, at, 1)[0] = (loss.sign * sum) / n;
        return out;
      },
    },
    {
      kernelName: names.grad,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend }) => {
        const [p, y, n] = operands(names.grad, inputs);
        const { dy } = inputs as { dy: tf.TensorInfo };
        const [out, at] = output(backend, [...p.shape]);
        const [pp, py, pdy] = [address(backend, p), address(backend, y), address(backend, dy)];
        runRanges(backend, {
          module: loss.module,
          fn: loss.grad,
          size: n,
          args: (i, count) => [pp + 4 * i, py + 4 * i, pdy, at + 4 * i, count, n],
        });
        return out;
      },
    },
  ];
}
