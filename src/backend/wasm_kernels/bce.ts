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
import { lossKernelConfigs } from "./_loss_kernels.ts";

/** The loss kernel's name (inputs p, y; a scalar out), registered for `wasm` only. */
export const BCE = "DiaboloBce";
/** The gradient kernel's name (inputs p, y and the scalar dy; dL/dp out), for `wasm` only. */
export const BCE_GRAD = "DiaboloBceGrad";

/** The loss and gradient kernels' registration records. */
export const [bceConfig, bceGradConfig] = lossKernelConfigs(
  { value: BCE, grad: BCE_GRAD },
  { module: "bce", partials: "bcePartials", grad: "bceGrad", sign: -1 },
);
