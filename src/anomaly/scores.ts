/**
 * Anomaly scores: how badly an autoencoder reconstructs each sample. Per
 * sample, the mean squared error, mean absolute error or binary cross-entropy
 * over its pixels, or for a VAE its negative ELBO; a higher score is more
 * anomalous.
 *
 * ```ts
 * import { anomalyScores } from "./scores.ts";
 * import { MODELS } from "../models/registry.ts";
 * const ae = MODELS.dense.build({ latentDim: 8, seed: 0 });
 * const scores = anomalyScores(ae, new Float32Array(3 * 784), { score: "mse", scale: "symmetric" }); // 3
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Autoencoder, LossName, PixelScale } from "../models/model.ts";
import { UserError } from "../errors.ts";
import { bcePerSample } from "../train/losses.ts";

/** Per-sample scores: reconstruction errors, or a VAE's negative ELBO. */
export type ScoreName = "mse" | "mae" | "bce" | "elbo";

/** Every score name, as `--score` takes them. */
export const SCORES: readonly ScoreName[] = ["mse", "mae", "bce", "elbo"];

/** Options for {@linkcode anomalyScores}. */
export interface AnomalyScoresOptions {
  /** The score (default `mse`; {@linkcode defaultScore} gives a run's own loss). */
  score?: ScoreName;
  /** Pixel range of the inputs: `bce` needs `unit` [0,1] (default `unit`). */
  scale?: PixelScale;
  /** Samples per forward pass (default 1000). */
  batchSize?: number;
}

/**
 * The score matching a run's reconstruction loss (`--loss`): `mae` for L1,
 * else the loss itself. A VAE's is its reconstruction term's (BCE); its
 * negative ELBO is `elbo`, asked for by name.
 *
 * @example
 * ```ts
 * defaultScore("l1"); // "mae"
 * ```
 */
export function defaultScore(loss: LossName): ScoreName {
  return loss === "l1" ? "mae" : loss;
}

/**
 * One score per sample of `images` (row-major whole samples, scaled as the
 * model was trained), computed in evaluation mode (no dropout, BatchNorm's
 * running statistics).
 *
 * @example
 * ```ts
 * import { anomalyScores } from "./scores.ts";
 * import { MODELS } from "../models/registry.ts";
 * import { loadMnist } from "../data/mnist.ts";
 * import { floatImages } from "../data/dataset.ts";
 * const ae = MODELS.conv.build({ latentDim: 16, seed: 0 });
 * const { test } = await loadMnist({ testSize: 100 });
 * const scores = anomalyScores(ae, floatImages(test), { score: "bce" }); // scores.length === test.count
 * ```
 */
export function anomalyScores(
  autoencoder: Autoencoder,
  images: Float32Array,
  options: AnomalyScoresOptions = {},
): Float32Array {
  const { score = "mse", scale = "unit", batchSize = 1000 } = options;
  const size = autoencoder.inputShape.reduce((a, b) => a * b, 1);
  const n = images.length / size;
  if (!Number.isInteger(n)) {
    throw new UserError(
      `the data holds ${images.length} values, not whole samples of ${
        autoencoder.inputShape.join("x")
      } = ${size}`,
    );
  }
  if (score === "elbo" && !autoencoder.negativeElbo) {
    throw new UserError("--score elbo needs a VAE; this model has no ELBO (use mse, mae or bce)");
  }
  if (score === "bce" && scale !== "unit") {
    throw new UserError(
      "--score bce needs inputs and outputs in [0, 1]; this model works in [-1, 1] (use mse or mae)",
    );
  }
  const out = new Float32Array(n);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const values = tf.tidy(() => {
      const x = tf.tensor(images.subarray(start * size, end * size), [
        end - start,
        ...autoencoder.inputShape,
      ]);
      if (score === "elbo") return autoencoder.negativeElbo!(x);
      const recon = autoencoder.reconstruct(x, false);
      const p = tf.reshape(recon, [end - start, size]);
      const y = tf.reshape(x, [end - start, size]);
      if (score === "mse") return tf.mean(tf.square(tf.sub(p, y)), 1);
      if (score === "mae") return tf.mean(tf.abs(tf.sub(p, y)), 1);
      return bcePerSample(p, y);
    });
    out.set(values.dataSync(), start);
    values.dispose();
  }
  return out;
}
