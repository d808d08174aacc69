/**
 * `DiaboloMse` and `DiaboloMseGrad`: the mean squared error's value and
 * gradient as one wasm kernel each (asm/mse.ts) instead of three and four
 * elementwise ones; src/train/losses.ts uses them where they are registered.
 *
 * ```ts
 * import { tf } from "../../deps.ts";
 * import { MSE, MSE_GRAD } from "./mse.ts";
 * function lossAndGradient(p: tf.Tensor, y: tf.Tensor, dy: tf.Scalar) {
 *   const loss = tf.engine().runKernel(MSE, { p, y }) as tf.Scalar;
 *   const dp = tf.engine().runKernel(MSE_GRAD, { p, y, dy }) as tf.Tensor;
 *   return { loss, dp };
 * }
 * ```
 * @module
 */
import type { tf } from "../../deps.ts";
import { mse as module } from "./_modules.js";
import type { MseExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";
import { operands } from "./bce.ts";

/** The loss kernel's name (inputs p, y; a scalar out), registered for `wasm` only. */
export const MSE = "DiaboloMse";
/** The gradient kernel's name (inputs p, y and the scalar dy; dL/dp out), for `wasm` only. */
export const MSE_GRAD = "DiaboloMseGrad";

/** The loss kernel's registration record. */
export const mseConfig: tf.KernelConfig = {
  kernelName: MSE,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const [p, y, n] = operands(MSE, inputs);
    const [out, at] = output(backend, []);
    onHeap<MseExports>(module, backend).mse(address(backend, p), address(backend, y), at, n);
    return out;
  },
};

/** The gradient kernel's registration record. */
export const mseGradConfig: tf.KernelConfig = {
  kernelName: MSE_GRAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const [p, y, n] = operands(MSE_GRAD, inputs);
    const { dy } = inputs as { dy: tf.TensorInfo };
    const [out, at] = output(backend, [...p.shape]);
    onHeap<MseExports>(module, backend).mseGrad(
      address(backend, p),
      address(backend, y),
      address(backend, dy),
      at,
      n,
    );
    return out;
  },
};
