/**
 * The registration records of a loss's two wasm kernels: its value (inputs
 * p, y; a scalar out) and its gradient (inputs p, y and the scalar dy; dL/dp
 * out), as BCE's and MSE's are.
 * @module
 */
import { tf } from "../../deps.ts";
import { address, output } from "./_heap.ts";

/** A loss kernel module's two entry points, on one backend's heap. */
export interface LossEntryPoints {
  value(p: number, y: number, out: number, n: number): void;
  grad(p: number, y: number, dy: number, out: number, n: number): void;
}

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

/** The value's and the gradient's records, named `names`, running `kernels` on the backend's heap. */
export function lossKernelConfigs(
  names: { value: string; grad: string },
  kernels: (backend: unknown) => LossEntryPoints,
): [tf.KernelConfig, tf.KernelConfig] {
  return [
    {
      kernelName: names.value,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend }) => {
        const [p, y, n] = operands(names.value, inputs);
        const [out, at] = output(backend, []);
        kernels(backend).value(address(backend, p), address(backend, y), at, n);
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
        kernels(backend).grad(
          address(backend, p),
          address(backend, y),
          address(backend, dy),
          at,
          n,
        );
        return out;
      },
    },
  ];
}
