/**
 * `DiaboloBce` and `DiaboloBceGrad`: torch.nn.BCELoss's value and gradient
 * as one wasm kernel each (asm/bce.ts) instead of about twenty elementwise
 * ones; src/train/losses.ts uses them where they are registered.
 *
 * ```ts
 * import { tf } from "../../deps.ts";
 * import { BCE, BCE_GRAD } from "./bce.ts";
 * function lossAndGradient(p: tf.Tensor, y: tf.Tensor, dy: tf.Scalar) {
 *   const loss = tf.engine().runKernel(BCE, { p, y }) as tf.Scalar;
 *   const dp = tf.engine().runKernel(BCE_GRAD, { p, y, dy }) as tf.Tensor;
 *   return { loss, dp };
 * }
 * ```
 * @module
 */
import { tf } from "../../deps.ts";
import { bce as module } from "./_modules.js";
import type { BceExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";

/** The loss kernel's name (inputs p, y; a scalar out), registered for `wasm` only. */
export const BCE = "DiaboloBce";
/** The gradient kernel's name (inputs p, y and the scalar dy; dL/dp out), for `wasm` only. */
export const BCE_GRAD = "DiaboloBceGrad";

/** p and y, checked to be float32 of one size; that size (the MSE kernels' too). */
export function operands(
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

/** The loss kernel's registration record. */
export const bceConfig: tf.KernelConfig = {
  kernelName: BCE,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const [p, y, n] = operands(BCE, inputs);
    const [out, at] = output(backend, []);
    onHeap<BceExports>(module, backend).bce(address(backend, p), address(backend, y), at, n);
    return out;
  },
};

/** The gradient kernel's registration record. */
export const bceGradConfig: tf.KernelConfig = {
  kernelName: BCE_GRAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const [p, y, n] = operands(BCE_GRAD, inputs);
    const { dy } = inputs as { dy: tf.TensorInfo };
    const [out, at] = output(backend, [...p.shape]);
    onHeap<BceExports>(module, backend).bceGrad(
      address(backend, p),
      address(backend, y),
      address(backend, dy),
      at,
      n,
    );
    return out;
  },
};
