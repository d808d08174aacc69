/**
 * Datasets of labelled images or table rows (see {@linkcode Dataset}), the
 * float32 batches gathered from them, and the seeded subsets, held-out
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
import { type ByteScale, gatherScale } from "./gather_scale.ts";

/**
 * Labelled samples: images (row-major N x height x width x channels, channels
 * last) or table rows (height 1, width = the number of features).
 */
export interface Dataset {
  /**
   * `count * height * width * channels` values, row-major, channels last.
   * A `Uint8Array` holds integer pixels as stored, scaled to float32 as
   * batches are gathered ({@linkcode gather}, `pixelScale`); a
   * `Float32Array` is already scaled.
   */
  images: Float32Array | Uint8Array;
  /** One class label per sample. */
  labels: Uint8Array;
  /** Number of samples (and labels). */
  count: number;
  /** Image height in pixels (28 for MNIST); 1 for tables. */
  height: number;
  /** Image width in pixels (28 for MNIST); the number of features for tables. */
  width: number;
  /** Channels per pixel: 1 (grey) or 3 (RGB); 1 for tables. */
  channels: number;
  /** What a sample is (default `image`); `table` rows are feature vectors. */
  kind?: "image" | "table";
  /** The name of class `i`, when the source names its classes. */
  classNames?: string[];
  /**
   * How `Uint8Array` images become values as they are gathered: `unit`
   * (default) `b / 255` in [0, 1], `symmetric` `b / 127.5 - 1` in [-1, 1].
   * Ignored for `Float32Array` images, which are already scaled.
   */
  pixelScale?: ByteScale;
}

/**
 * The number of values in one sample: height x width x channels.
 *
 * @example
 * ```ts
 * import { sampleSize } from "./dataset.ts";
 * sampleSize({ height: 32, width: 32, channels: 3 }); // 3072
 * ```
 */
export function sampleSize(data: Pick<Dataset, "height" | "width" | "channels">): number {
  return data.height * data.width * data.channels;
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
 * The samples `indices` of `data`, in that order, as a dataset of their own,
 * its images of the same type as `data`'s (bytes stay bytes).
 *
 * @example
 * ```ts
 * import { take } from "./dataset.ts";
 * const data = {
 *   images: Uint8Array.of(0, 1, 2), labels: Uint8Array.of(5, 6, 7), count: 3, height: 1, width: 1, channels: 1,
 * };
 * take(data, [2, 0]).images; // Uint8Array [2, 0]: the source dtype is kept
 * ```
 */
export function take(data: Dataset, indices: ArrayLike<number>): Dataset {
  return {
    ...data,
    images: copyRows(
      data.images,
      sampleSize(data),
      indices,
      emptyLike(data.images, indices.length * sampleSize(data)),
    ),
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

/**
 * The samples `indices` of `data` as one contiguous float32 batch:
 * `Uint8Array` images are scaled as they are gathered, in one pass of the
 * `gather_scale` Wasm kernel (see `Dataset.pixelScale`; exactly
 * `Math.fround(b / 255)` for `unit`), float32 images are copied as they are.
 *
 * @example
 * ```ts
 * import { gather } from "./dataset.ts";
 * const data = {
 *   images: Uint8Array.of(0, 51, 255, 0), labels: new Uint8Array(2), count: 2, height: 1, width: 2, channels: 1,
 * };
 * gather(data, [1, 0]); // Float32Array [1, 0, 0, 0.2]
 * ```
 *
 * With `out`, the batch is written there (`indices.length` samples' values)
 * and `out` returned: a batch gathered straight into a tensor's memory.
 */
export function gather(
  data: Dataset,
  indices: ArrayLike<number>,
  out?: Float32Array,
): Float32Array {
  const size = sampleSize(data);
  const { images } = data;
  if (images instanceof Float32Array) {
    return copyRows(images, size, indices, out ?? new Float32Array(indices.length * size));
  }
  return gatherScale(images, indices, { size, scale: data.pixelScale, out });
}

/**
 * All of `data`'s images as float32 values, scaled as {@linkcode gather}
 * scales them: `data.images` itself when it is float32 already.
 *
 * @example
 * ```ts
 * import { floatImages } from "./dataset.ts";
 * const data = { images: Uint8Array.of(255, 0), labels: new Uint8Array(2), count: 2, height: 1, width: 1, channels: 1 };
 * floatImages(data); // Float32Array [1, 0]
 * ```
 */
export function floatImages(data: Dataset): Float32Array {
  if (data.images instanceof Float32Array) return data.images;
  return gather(data, Uint32Array.from({ length: data.count }, (_, i) => i));
}

/** A new zeroed array of `images`' type and `length` values. */
function emptyLike<T extends Float32Array | Uint8Array>(images: T, length: number): T {
  return new (images.constructor as new (n: number) => T)(length);
}

/** The rows `indices` (of `size` values each) of `images`, copied into `out`. */
function copyRows<T extends Float32Array | Uint8Array>(
  images: T,
  size: number,
  indices: ArrayLike<number>,
  out: T,
): T {
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i] * size;
    out.set(images.subarray(src, src + size), i * size);
  }
  return out;
}
