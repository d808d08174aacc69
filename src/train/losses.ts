/**
 * Reconstruction losses, averaged over every pixel as PyTorch's `reduction="mean"`.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { reconstructionLoss } from "./losses.ts";
 * const loss = reconstructionLoss("bce", tf.fill([2, 4], 0.5), tf.ones([2, 4]));
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { LossName } from "../models/model.ts";
import { BCE, BCE_GRAD } from "../backend/wasm_kernels/bce.ts";
import { MSE, MSE_GRAD } from "../backend/wasm_kernels/mse.ts";

/**
 * The mean loss between a reconstruction and its target. `bce` expects
 * probabilities and clamps each log at -100, as `torch.nn.BCELoss` does.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const l1 = reconstructionLoss("l1", tf.zeros([3]), tf.ones([3])); // 1
 * ```
 */
export function reconstructionLoss(
  name: LossName,
  output: tf.Tensor,
  target: tf.Tensor,
): tf.Scalar {
  // The target is captured, not an input of the custom gradient: it gets no
  // gradient, so none (a tensor of zeros the size of a batch) is made for it.
  if (name === "bce") return bce(target)(output);
  if (name === "mse") return mse(target)(output);
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(output, target)))) as tf.Scalar;
}

/**
 * Mean squared error. Where the backend has our fused kernels (wasm), each
 * way is one kernel instead of three and four; elsewhere tfjs's ops give the
 * value and, rounded as autodiff rounds it, the same gradient autodiff did.
 * The target gets none, as in `bce`: it is data, or the output of frozen layers.
 */
const mse = (target: tf.Tensor) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [output, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const fused = tf.getKernel(MSE, tf.getBackend()) !== undefined;
    let value: tf.Scalar;
    if (fused) {
      save([output, target]);
      value = tf.engine().runKernel(MSE, { p: output, y: target }) as tf.Scalar;
    } else {
      const diff = tf.sub(output, target);
      save([diff, target]);
      value = tf.mean(tf.square(diff));
    }
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [pOrDiff, y] = saved;
        const dp = fused
          ? tf.engine().runKernel(MSE_GRAD, { p: pOrDiff, y, dy }) as tf.Tensor
          : tf.mul(tf.div(dy, pOrDiff.size), tf.mul(pOrDiff, 2));
        return [dp];
      },
    };
  }) as (output: tf.Tensor) => tf.Scalar;

/**
 * `torch.nn.BCELoss`: logs clamped at -100 in the value, and PyTorch's
 * gradient (p - y) / max(p (1 - p), 1e-12). Differentiating the clamped logs
 * instead gives 0 * inf = NaN wherever a sigmoid saturates to exactly 0 or 1.
 * Where the backend has our fused kernels (wasm), each way is one kernel.
 */
const bce = (target: tf.Tensor) =>
  tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [output, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([output, target]);
    const fused = tf.getKernel(BCE, tf.getBackend()) !== undefined;
    const value = fused
      ? tf.engine().runKernel(BCE, { p: output, y: target }) as tf.Scalar
      : tf.tidy(() => {
        const logP = tf.maximum(tf.log(output), -100);
        const log1mP = tf.maximum(tf.log(tf.sub(1, output)), -100);
        return tf.neg(tf.mean(tf.add(tf.mul(target, logP), tf.mul(tf.sub(1, target), log1mP))));
      });
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [p, y] = saved;
        if (fused) {
          return [tf.engine().runKernel(BCE_GRAD, { p, y, dy }) as tf.Tensor];
        }
        const slope = tf.maximum(tf.mul(p, tf.sub(1, p)), 1e-12);
        const scale = tf.div(dy, p.size);
        return [tf.mul(tf.div(tf.sub(p, y), slope), scale)];
      },
    };
  }) as (output: tf.Tensor) => tf.Scalar;

/**
 * Binary cross-entropy of each row, averaged over its columns, with the logs
 * clamped at -100 as `torch.nn.BCELoss` does (so a saturated pixel costs 100,
 * not infinity).
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const bce = bcePerSample(tf.fill([2, 3], 0.5), tf.ones([2, 3])); // [ln 2, ln 2]
 * ```
 */
export function bcePerSample(p: tf.Tensor, y: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.maximum(tf.log(p), -100);
    const log1mP = tf.maximum(tf.log(tf.sub(1, p)), -100);
    return tf.neg(tf.mean(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), log1mP)), -1));
  }) as tf.Tensor1D;
}
