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
  const chunks = Array.from({ length: chunkCount(data) }, (_, c) => c);
  return combineChunks(await evaluateChunks(data, options, chunks), data.count);
}

/** Samples per evaluation batch: chunk `c` is samples `c * EVAL_CHUNK` up to the next chunk's. */
export const EVAL_CHUNK = 1000;

/**
 * The chunks {@linkcode evaluate} splits `data` into.
 *
 * @example
 * ```ts
 * import { chunkCount } from "./evaluate.ts";
 * chunkCount({ count: 2500 }); // 3
 * ```
 */
export function chunkCount(data: Pick<Dataset, "count">): number {
  return Math.ceil(data.count / EVAL_CHUNK);
}

/**
 * The sums over chunks `chunks` of `data` (see {@linkcode EVAL_CHUNK}) of
 * the loss and metrics times the chunk's samples, one record per chunk:
 * what data-parallel replicas evaluate of a set, for
 * {@linkcode combineChunks} to add in chunk order (so the result does not
 * depend on how the chunks were shared out).
 *
 * @example
 * ```ts
 * import { combineChunks, evaluateChunks, type EvaluateOptions } from "./evaluate.ts";
 * import type { Dataset } from "../data/dataset.ts";
 * async function firstChunkLoss(data: Dataset, options: EvaluateOptions): Promise<number> {
 *   return combineChunks(await evaluateChunks(data, options, [0]), Math.min(1000, data.count)).loss;
 * }
 * ```
 */
export async function evaluateChunks(
  data: Dataset,
  options: EvaluateOptions,
  chunks: readonly number[],
): Promise<Record<string, number>[]> {
  const { batches, step, autoencoder, seed } = options;
  const out: Record<string, number>[] = [];
  for (const c of chunks) {
    const start = c * EVAL_CHUNK;
    const n = Math.min(EVAL_CHUNK, data.count - start);
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
    const sums: Record<string, number> = {};
    for (const [k, t] of Object.entries(values)) sums[k] = (await t.data())[0] * n;
    tf.dispose(values);
    out.push(sums);
  }
  return out;
}

/**
 * The evaluation of a set of `count` samples from its chunks' sums
 * ({@linkcode evaluateChunks}), added in the order given.
 *
 * @example
 * ```ts
 * import { combineChunks } from "./evaluate.ts";
 * combineChunks([{ loss: 1000 }, { loss: 250 }], 1500).loss; // 0.8333
 * ```
 */
export function combineChunks(chunks: Record<string, number>[], count: number): Evaluation {
  const sums: Record<string, number> = {};
  for (const chunk of chunks) {
    for (const [k, v] of Object.entries(chunk)) sums[k] = (sums[k] ?? 0) + v;
  }
  const { loss, ...rest } = sums;
  return {
    loss: loss / count,
    metrics: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v / count])),
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
