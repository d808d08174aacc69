/**
 * Input corruption for denoising autoencoders, in the `asm/noise.wasm` SIMD kernel:
 * Gaussian noise, masking and salt-and-pepper over Float32Array batches.
 *
 * The noise is counter-based: element `i` of the stream gets noise that depends only
 * on `(seed, i)`, so the same seed gives the same noise however the data is split
 * into batches. Give each call the stream index of its first element (`offset`),
 * or of each row (`rows`, for shuffled batches), and derive the seed from the run's
 * seed and the epoch, and the noise of a sample is a function of (seed, epoch, sample).
 *
 * ```ts
 * import { addNoise } from "./noise.ts";
 * const x = new Float32Array(784 * 2).fill(0.5);
 * const noisy = addNoise(x, { kind: "gaussian", level: 0.3, seed: 7 });
 * ```
 *
 * @module
 */
import * as kernel from "../asm/noise.wasm";
import { deriveSeed } from "./random.ts";

/** The corruption: `gaussian` adds `level` N(0, 1) and clips; `mask` zeroes a fraction `level`; `saltpepper` sets a fraction `level` to `max` or `min` (half each). */
export type NoiseKind = "gaussian" | "mask" | "saltpepper";

/** Options for {@linkcode addNoise}. */
export interface AddNoiseOptions {
  /** Which corruption. */
  kind: NoiseKind;
  /** Standard deviation for `gaussian`; fraction of elements in [0, 1] for `mask` and `saltpepper`. */
  level: number;
  /** Seed of the noise stream (default 0); e.g. `deriveSeed(runSeed, epoch)`. */
  seed?: number;
  /** Stream index of `x[0]` (default 0), e.g. the first sample's dataset index times 784. */
  offset?: number;
  /**
   * Stream index of each row in units of rows, for batches of shuffled samples: row `r`
   * (of `x.length / rows.length` elements) starts at `offset + rows[r] * rowLength`.
   */
  rows?: ArrayLike<number>;
  /** Lower clip for `gaussian` and pepper value for `saltpepper` (default 0). */
  min?: number;
  /** Upper clip for `gaussian` and salt value for `saltpepper` (default 1). */
  max?: number;
  /** Write into `x` instead of returning a noisy copy (default false). */
  inPlace?: boolean;
}

const KIND_CODES: Record<NoiseKind, number> = { gaussian: 1, mask: 2, saltpepper: 3 };
const TWO_32 = 2 ** 32;

/**
 * Returns `x` corrupted by Gaussian noise, masking or salt-and-pepper (a copy, or `x`
 * itself with `inPlace`), reproducibly from `seed`: element `i` of the noise stream
 * (see `offset` and `rows`) is the same whatever the batch split. Gaussian values are
 * clipped to `[min, max]`.
 *
 * @example
 * ```ts
 * const batch = new Float32Array(64 * 784);
 * addNoise(batch, { kind: "mask", level: 0.25, seed: 1, offset: 128 * 784, inPlace: true });
 * ```
 */
export function addNoise(x: Float32Array, options: AddNoiseOptions): Float32Array {
  const { kind, level, seed = 0, offset = 0, rows, min = 0, max = 1, inPlace = false } = options;
  const code = KIND_CODES[kind];
  if (code === undefined) throw new Error(`addNoise: unknown kind "${kind}"`);
  if (!(level >= 0) || !Number.isFinite(level) || (kind !== "gaussian" && level > 1)) {
    const range = kind === "gaussian" ? ">= 0" : "in [0, 1]";
    throw new Error(`addNoise: ${kind} level ${level}, expected ${range}`);
  }
  if (!(min <= max)) throw new Error(`addNoise: min ${min} > max ${max}`);
  if (!Number.isInteger(seed)) throw new Error(`addNoise: seed ${seed}, expected an integer`);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new Error(`addNoise: offset ${offset}, expected a non-negative integer`);
  }
  const out = inPlace ? x : new Float32Array(x.length);
  if (!rows) {
    corrupt(x, out, offset, code, level, seed, min, max);
    return out;
  }
  const rowLength = x.length / rows.length;
  if (!Number.isInteger(rowLength)) {
    throw new Error(`addNoise: ${x.length} elements do not split into ${rows.length} rows`);
  }
  for (let r = 0; r < rows.length; r++) {
    const at = r * rowLength;
    const start = offset + rows[r] * rowLength;
    if (!Number.isSafeInteger(start) || start < 0) {
      throw new Error(`addNoise: rows[${r}] = ${rows[r]}, expected a non-negative integer`);
    }
    const part = x.subarray(at, at + rowLength);
    corrupt(part, out.subarray(at, at + rowLength), start, code, level, seed, min, max);
  }
  return out;
}

/** Runs the kernel over `src` (stream indices from `start`) in buffer-sized pieces into `dst`. */
function corrupt(
  src: Float32Array,
  dst: Float32Array,
  start: number,
  code: number,
  level: number,
  seed: number,
  min: number,
  max: number,
): void {
  const capacity = kernel.capacity();
  const buf = new Float32Array(kernel.memory.buffer, kernel.buffer(), capacity);
  const threshold = Math.min(2 ** 31, Math.round(level * 2 ** 31));
  let done = 0;
  while (done < src.length) {
    const index = start + done;
    const hi = Math.floor(index / TWO_32);
    const lo = index - hi * TWO_32;
    // Pieces never cross a multiple of 2^32: the high half of the index goes into the keys.
    const n = Math.min(capacity, src.length - done, TWO_32 - lo);
    buf.set(src.subarray(done, done + n));
    const k0 = deriveSeed(seed, code, hi, 0);
    const k1 = deriveSeed(seed, code, hi, 1);
    if (code === 1) {
      kernel.gaussian(n, lo, k0, k1, level, min, max);
    } else if (code === 2) {
      kernel.mask(n, lo, k0, k1, threshold);
    } else {
      kernel.saltPepper(n, lo, k0, k1, threshold, min, max);
    }
    dst.set(buf.subarray(0, n), done);
    done += n;
  }
}
