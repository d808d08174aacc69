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

/**
 * The mean loss between a reconstruction and its target. `bce` expects
 * probabilities and clamps each log at -100, as `torch.nn.BCELoss` does.
 *
 * @example
 * ```ts
 * const l1 = reconstructionLoss("l1", tf.zeros([3]), tf.ones([3])); // 1
 * ```
 */
export function reconstructionLoss(
  name: LossName,
  output: tf.Tensor,
  target: tf.Tensor,
): tf.Scalar {
  return tf.tidy(() => {
    const diff = tf.sub(output, target);
    if (name === "mse") return tf.mean(tf.square(diff));
    if (name === "l1") return tf.mean(tf.abs(diff));
    const logP = tf.maximum(tf.log(output), -100);
    const log1mP = tf.maximum(tf.log(tf.sub(1, output)), -100);
    return tf.neg(tf.mean(tf.add(tf.mul(target, logP), tf.mul(tf.sub(1, target), log1mP))));
  }) as tf.Scalar;
}
