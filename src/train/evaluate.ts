/**
 * A model's loss and test metrics over a whole dataset, and its
 * reconstructions: what the fit loop measures after every epoch and the
 * run-folder figures draw.
 *
 * ```ts
 * import { evaluate, type EvaluateOptions } from "./evaluate.ts";
 * import type { Dataset } from "../data/dataset.ts";
 * async function measure(test: Dataset, options: EvaluateOptions) {
 *   const { loss, metrics } = await evaluate(test, options);
 *   return { loss, ...metrics };
 * }
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Dataset } from "../data/dataset.ts";
import type { Autoencoder } from "../models/model.ts";
import { deriveSeed } from "../random.ts";
import type { Batches } from "./batches.ts";
import type { TrainStep } from "./step.ts";

/** What {@linkcode evaluate} needs besides the data. */
export interface EvaluateOptions {
  /** Makes the batches (noise included, as in training). */
  batches: Batches;
  /** The model's loss and metrics. */
  step: TrainStep;
  /** The model, for the PSNRs of denoised images. */
  autoencoder: Autoencoder;
  /** Seed of the evaluation's noise and draws (fixed for a run, so epochs compare). */
  seed: number;
}

/** The mean loss and metrics of a dataset. */
export interface Evaluation {
  /** The loss, with dropout off. */
  loss: number;
  /** The model's metrics; `psnr_noisy` and `psnr_denoised` when the inputs are corrupted. */
  metrics: Record<string, number>;
}

/**
 * Mean loss and model metrics over `data`, in batches of 1000, weighted by batch size.
 *
 * @example
 * ```ts
 * import { evaluate } from "./evaluate.ts";
 * import type { Dataset } from "../data/dataset.ts";
 * import type { EvaluateOptions } from "./evaluate.ts";
 * async function testLoss(test: Dataset, options: EvaluateOptions): Promise<number> {
 *   return (await evaluate(test, options)).loss;
 * }
 * ```
 */
export async function evaluate(data: Dataset, options: EvaluateOptions): Promise<Evaluation> {
  const { batches, step, autoencoder, seed } = options;
  const size = 1000;
  const sums: Record<string, number> = {};
  for (let start = 0; start < data.count; start += size) {
    const n = Math.min(size, data.count - start);
    const idx = Uint32Array.from({ length: n }, (_, i) => start + i);
    const batch = batches.make(data, idx, deriveSeed(seed, 0x9015e));
    const extras = { ...batch, seed: deriveSeed(seed, start) };
    const values = tf.tidy(() => ({
      loss: step.loss(batch.input, false, extras),
      ...step.metrics(batch.input, extras),
      ...(batch.target && {
        psnr_noisy: psnr(batch.input, batch.target, batches.range),
        psnr_denoised: psnr(
          autoencoder.reconstruct(batch.input, false),
          batch.target,
          batches.range,
        ),
      }),
    }));
    batches.dispose(batch);
    for (const [k, t] of Object.entries(values)) {
      sums[k] = (sums[k] ?? 0) + (await t.data())[0] * n;
    }
    tf.dispose(values);
  }
  const { loss, ...rest } = sums;
  return {
    loss: loss / data.count,
    metrics: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v / data.count])),
  };
}

/** Mean over the batch of each image's PSNR (dB) against its target; `range` is the pixel range. */
function psnr(images: tf.Tensor, targets: tf.Tensor, range: number): tf.Scalar {
  return tf.tidy(() => {
    const axes = images.shape.slice(1).map((_, i) => i + 1);
    const mse = tf.maximum(tf.mean(tf.square(tf.sub(images, targets)), axes), 1e-10);
    return tf.mean(tf.mul(10 / Math.LN10, tf.log(tf.div(range * range, mse)))) as tf.Scalar;
  });
}
