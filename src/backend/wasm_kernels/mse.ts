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
import { lossKernelConfigs } from "./_loss_kernels.ts";

/** The loss kernel's name (inputs p, y; a scalar out), registered for `wasm` only. */
export const MSE = "DiaboloMse";
/** The gradient kernel's name (inputs p, y and the scalar dy; dL/dp out), for `wasm` only. */
export const MSE_GRAD = "DiaboloMseGrad";

/** The loss and gradient kernels' registration records. */
export const [mseConfig, mseGradConfig] = lossKernelConfigs(
  { value: MSE, grad: MSE_GRAD },
  { module: "mse", partials: "msePartials", grad: "mseGrad", sign: 1 },
);
