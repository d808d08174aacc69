/**
 * Datasets of labelled greyscale images, and the seeded subsets and batch
 * orders training draws from them.
 *
 * ```ts
 * import { batchOrder, subset } from "./dataset.ts";
 * import { loadMnist } from "../data/mnist.ts";
 * const { train } = await loadMnist();
 * const small = subset(train, { size: 2000, seed: 0 });
 * const order = batchOrder(small.count, { seed: 0, epoch: 3 });
 * ```
 *
 * @module
 */
import { deriveSeed, permutation } from "../random.ts";

/** Images (row-major N x height x width, one channel) with their labels. */
export interface Dataset {
  /** Pixel values, already scaled, `count * height * width` of them. */
  images: Float32Array;
  /** One class label per image. */
  labels: Uint8Array;
  /** Number of images (and labels). */
  count: number;
  /** Image height in pixels (28 for MNIST). */
  height: number;
  /** Image width in pixels (28 for MNIST). */
  width: number;
}

/** Options for {@linkcode subset}. */
export interface SubsetOptions {
  /** How many images to keep; at least the whole set returns it unchanged. */
  size: number;
  /** Seed of the random choice (default 0). */
  seed?: number;
}

/**
 * A seeded random subset, in random order, for quick runs and tests.
 *
 * @example
 * ```ts
 * import { subset } from "./dataset.ts";
 * import { loadMnist } from "../data/mnist.ts";
 * const { test } = await loadMnist();
 * const small = subset(test, { size: 500, seed: 1 }); // small.count === 500
 * ```
 */
export function subset(data: Dataset, options: SubsetOptions): Dataset {
  const { size, seed = 0 } = options;
  if (size >= data.count) return data;
  const pick = permutation(data.count, deriveSeed(seed, 0x5b5e7)).subarray(0, size);
  const pixels = data.height * data.width;
  const images = new Float32Array(size * pixels);
  const labels = new Uint8Array(size);
  pick.forEach((src, i) => {
    images.set(data.images.subarray(src * pixels, (src + 1) * pixels), i * pixels);
    labels[i] = data.labels[src];
  });
  return { ...data, images, labels, count: size };
}

/** Options for {@linkcode batchOrder}. */
export interface BatchOrderOptions {
  /** The run's seed. */
  seed: number;
  /** The epoch (0-based); each epoch has its own order. */
  epoch: number;
}

/**
 * The order in which an epoch visits the samples: a function of (seed, epoch)
 * alone, so a resumed run sees exactly the batches an uninterrupted one would.
 *
 * @example
 * ```ts
 * const order = batchOrder(10, { seed: 0, epoch: 0 }); // a permutation of 0..9
 * ```
 */
export function batchOrder(count: number, options: BatchOrderOptions): Uint32Array {
  return permutation(count, deriveSeed(options.seed, 0xe90c, options.epoch));
}

/** Copies the samples `indices` of `data` into one contiguous batch buffer. */
export function gather(data: Dataset, indices: ArrayLike<number>): Float32Array {
  const pixels = data.height * data.width;
  const out = new Float32Array(indices.length * pixels);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i] * pixels;
    out.set(data.images.subarray(src, src + pixels), i * pixels);
  }
  return out;
}
