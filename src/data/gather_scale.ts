/**
 * Batches of byte samples as float32, in the `asm/gather_scale.wasm` SIMD
 * kernel: the chosen samples' bytes are copied into the kernel's memory and
 * scaled there on their way out, so a dataset stays bytes (a quarter of its
 * float32 size) and only the batch in hand is ever float32.
 *
 * ```ts
 * import { gatherScale } from "./gather_scale.ts";
 * const bytes = Uint8Array.of(0, 255, 51, 102); // two samples of two bytes
 * gatherScale(bytes, [1, 0], { size: 2 }); // Float32Array [0.2, 0.4, 0, 1]
 * ```
 *
 * @module
 */
import * as kernel from "../../asm/gather_scale.wasm";

/** How bytes become values: `unit` `b / 255` in [0, 1], `symmetric` `b / 127.5 - 1` in [-1, 1]. */
export type ByteScale = "unit" | "symmetric";

/** Options for {@linkcode gatherScale}. */
export interface GatherScaleOptions {
  /** Bytes per sample (height x width x channels). */
  size: number;
  /** How bytes become values (default `unit`). */
  scale?: ByteScale;
  /** Where to write the batch (default: a new array); `indices.length * size` floats. */
  out?: Float32Array;
}

/** (offset, divisor) of each scale: the kernel computes (b - offset) / divisor. */
const AFFINE: Record<ByteScale, [number, number]> = {
  unit: [0, 255],
  symmetric: [127.5, 127.5],
};

/**
 * The samples `indices` of `bytes` (samples of `size` bytes, one after
 * another) as one float32 batch, each value exactly `Math.fround(b / 255)`
 * (`unit`) or `Math.fround(b / 127.5 - 1)` (`symmetric`). An index outside
 * the samples is a `RangeError`.
 *
 * @example
 * ```ts
 * import { gatherScale } from "./gather_scale.ts";
 * const batch = gatherScale(new Uint8Array(10 * 784), [3, 1, 4], { size: 784, scale: "symmetric" });
 * // batch.length === 3 * 784, every value -1
 * ```
 */
export function gatherScale(
  bytes: Uint8Array,
  indices: ArrayLike<number>,
  options: GatherScaleOptions,
): Float32Array {
  const { size, scale = "unit" } = options;
  const affine = AFFINE[scale];
  if (!affine) throw new RangeError(`gatherScale: unknown scale "${scale}"`);
  const [offset, divisor] = affine;
  const count = bytes.length / size;
  const capacity = kernel.capacity();
  const input = new Uint8Array(kernel.memory.buffer, kernel.input(), capacity);
  const output = new Float32Array(kernel.memory.buffer, kernel.output(), capacity);
  const out = options.out ?? new Float32Array(indices.length * size);
  if (out.length !== indices.length * size) {
    throw new RangeError(
      `gatherScale: out holds ${out.length} values, not ${indices.length * size}`,
    );
  }
  let filled = 0, written = 0;
  const flush = () => {
    kernel.scale(filled, offset, divisor);
    out.set(output.subarray(0, filled), written);
    written += filled;
    filled = 0;
  };
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!(index >= 0 && index < count && Number.isInteger(index))) {
      throw new RangeError(`gatherScale: index ${index} outside the ${count} samples`);
    }
    // A sample larger than the kernel's buffer goes in pieces.
    for (let at = index * size, end = at + size; at < end;) {
      const n = Math.min(end - at, capacity - filled);
      input.set(bytes.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === capacity) flush();
    }
  }
  if (filled) flush();
  return out;
}
