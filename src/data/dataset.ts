/**
 * Datasets of labelled greyscale images, and the seeded subsets, held-out
 * splits and batch orders training draws from them.
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
import { UserError } from "../errors.ts";

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
  return take(data, permutation(data.count, deriveSeed(seed, 0x5b5e7)).subarray(0, size));
}

/**
 * The samples `indices` of `data`, in that order, as a dataset of their own.
 *
 * @example
 * ```ts
 * import { take } from "./dataset.ts";
 * const data = { images: Float32Array.of(0, 1, 2), labels: Uint8Array.of(5, 6, 7), count: 3, height: 1, width: 1 };
 * take(data, [2, 0]).labels; // Uint8Array [7, 5]
 * ```
 */
export function take(data: Dataset, indices: ArrayLike<number>): Dataset {
  return {
    ...data,
    images: gather(data, indices),
    labels: Uint8Array.from({ length: indices.length }, (_, i) => data.labels[indices[i]]),
    count: indices.length,
  };
}

/** Options for {@linkcode holdOut}. */
export interface HoldOutOptions {
  /** Fraction of the samples held out, in [0, 1); 0 holds out none. */
  fraction: number;
  /** Seed of the random choice (default 0). */
  seed?: number;
  /** What the held-out part is, for errors (default `held-out set`). */
  name?: string;
}

/** A dataset split in two disjoint parts by {@linkcode holdOut}. */
export interface HeldOut {
  /** The samples not held out, in their original order. */
  rest: Dataset;
  /** The held-out samples (`undefined` when `fraction` is 0), in their original order. */
  held?: Dataset;
}

/**
 * Splits `data` into two disjoint parts: a seeded random `fraction` of it
 * (rounded to whole samples) and the rest, as a validation set is carved
 * out of the training data. Each part keeps the samples' original order;
 * a fraction that leaves either part empty is an error.
 *
 * @example
 * ```ts
 * import { holdOut } from "./dataset.ts";
 * import { loadMnist } from "./mnist.ts";
 * const { train } = await loadMnist({ trainSize: 1000 });
 * const { rest, held } = holdOut(train, { fraction: 0.1, seed: 0 }); // 900 and 100 images
 * ```
 */
export function holdOut(data: Dataset, options: HoldOutOptions): HeldOut {
  const { fraction, seed = 0, name = "held-out set" } = options;
  if (!(fraction >= 0 && fraction < 1)) {
    throw new UserError(`the ${name}'s fraction must lie in [0, 1), not ${fraction}`);
  }
  if (fraction === 0) return { rest: data };
  const n = Math.round(data.count * fraction);
  if (n === 0 || n === data.count) {
    throw new UserError(
      `a ${name} of ${fraction} of ${data.count} samples leaves ${
        n === 0 ? `the ${name}` : "the rest"
      } empty`,
    );
  }
  const order = permutation(data.count, deriveSeed(seed, 0x4e1d));
  const sorted = (a: Uint32Array) => a.slice().sort();
  return {
    rest: take(data, sorted(order.subarray(n))),
    held: take(data, sorted(order.subarray(0, n))),
  };
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
