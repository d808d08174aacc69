/**
 * The TS reference of the `gather_scale` kernel, which its test compares
 * against and its bench times: a plain loop, one division per byte.
 * @module
 */
import type { GatherScaleOptions } from "../src/data/gather_scale.ts";

/** The samples `indices` of `bytes`, each byte `b / 255` (`unit`) or `b / 127.5 - 1` (`symmetric`). */
export function gatherReference(
  bytes: Uint8Array,
  indices: ArrayLike<number>,
  options: GatherScaleOptions,
): Float32Array {
  const { size, scale = "unit" } = options;
  const out = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const src = indices[i] * size, dst = i * size;
    for (let j = 0; j < size; j++) {
      const b = bytes[src + j];
      out[dst + j] = scale === "symmetric" ? b / 127.5 - 1 : b / 255;
    }
  }
  return out;
}
