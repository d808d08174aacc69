/**
 * Batches as the training step takes them: the images of some samples as a
 * tensor, their labels, and, when the run corrupts its inputs, the noisy
 * input with the clean target. The noise of a sample is a function of
 * (seed, sample index) alone, however the samples are batched.
 *
 * ```ts
 * import { Batches } from "./batches.ts";
 * import { loadMnist } from "../data/mnist.ts";
 * const { train } = await loadMnist({ trainSize: 256 });
 * const batches = new Batches([784], { noise: "gaussian", noiseLevel: 0.2, scale: "unit" }, 784);
 * const batch = batches.make(train, [0, 1, 2, 3], 7); // noisy input, clean target
 * batches.dispose(batch);
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { type Dataset, gather } from "../data/dataset.ts";
import { addNoise } from "../noise.ts";
import { tensorFilled } from "../backend/heap_tensors.ts";
import type { NoiseName, PixelScale } from "../models/model.ts";

/** A batch: the network's input, the clean target when it differs, the labels when wanted. */
export interface Batch {
  /** What the network takes: the images, corrupted when the run adds noise. */
  input: tf.Tensor;
  /** The clean images, when `input` is corrupted. */
  target?: tf.Tensor;
  /** Class labels (int32), when the model uses them. */
  labels?: tf.Tensor;
}

/** What {@linkcode Batches} needs of the run's settings. */
export interface BatchSettings {
  /** Corruption of the inputs (`none`: clean). */
  noise: NoiseName;
  /** Its strength. */
  noiseLevel: number;
  /** The pixel range the images are in. */
  scale: PixelScale;
  /** Values outside any range (standardized tables): Gaussian noise is not clipped (default false). */
  unbounded?: boolean;
}

/** Makes (and frees) the batches of one model and run. */
export class Batches {
  /** The pixel range: 1 for [0,1] inputs, 2 for [-1,1]. */
  readonly range: number;

  /** Batches of samples shaped `inputShape` (`pixels` values each), with labels if `withLabels`. */
  constructor(
    readonly inputShape: number[],
    readonly settings: BatchSettings,
    readonly pixels: number,
    readonly withLabels = false,
  ) {
    this.range = settings.scale === "symmetric" ? 2 : 1;
  }

  /** Whole images, flat, as a network input batch. */
  tensor(images: Float32Array): tf.Tensor {
    return tf.tensor(images, [images.length / this.pixels, ...this.inputShape]);
  }

  /** The batch of samples `idx` of `data`; `noiseSeed` seeds the corruption, if the run has one. */
  make(data: Dataset, idx: ArrayLike<number>, noiseSeed: number): Batch {
    const labels = this.withLabels
      ? tf.tensor1d(Int32Array.from(idx, (i) => data.labels[i]), "int32")
      : undefined;
    const { noise, noiseLevel, scale, unbounded } = this.settings;
    if (noise === "none") {
      // Gathered straight into the tensor's memory: one copy of the batch, not two.
      const input = tensorFilled([idx.length, ...this.inputShape], (values) => {
        gather(data, idx, values);
      });
      return { input, labels };
    }
    const clean = gather(data, idx);
    const noisy = addNoise(clean, {
      kind: noise,
      level: noiseLevel,
      seed: noiseSeed,
      rows: idx,
      min: unbounded ? -Infinity : scale === "symmetric" ? -1 : 0,
      max: unbounded ? Infinity : 1,
    });
    return { input: this.tensor(noisy), target: this.tensor(clean), labels };
  }

  /** Frees a batch's tensors. */
  dispose(batch: Batch): void {
    tf.dispose([
      batch.input,
      ...(batch.target ? [batch.target] : []),
      ...(batch.labels ? [batch.labels] : []),
    ]);
  }
}
