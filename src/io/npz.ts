/**
 * `.npz` archives as `numpy.savez` writes them: a zip of `.npy` members,
 * stored uncompressed.
 *
 * ```ts
 * import { writeNpz } from "./npz.ts";
 * const zip = writeNpz({ x: { data: new Float32Array(6), shape: [2, 3] } });
 * // numpy: np.load("a.npz")["x"].shape == (2, 3)
 * ```
 *
 * @module
 */
import { fflate } from "../deps.ts";
import { type NpyData, writeNpy } from "./npy.ts";

/** One array of an archive. */
export interface NpzEntry {
  /** The elements in C (row-major) order; the dtype follows the array type. */
  data: NpyData;
  /** Dimensions, outermost first; their product must equal `data.length`. */
  shape: readonly number[];
}

/**
 * An `.npz` archive of the named arrays (`name` becomes `name.npy`).
 *
 * @example
 * ```ts
 * await Deno.writeFile("features.npz", writeNpz({ labels: { data: new Uint8Array([1, 2]), shape: [2] } }));
 * ```
 */
export function writeNpz(arrays: Record<string, NpzEntry>): Uint8Array {
  const members: fflate.Zippable = {};
  for (const [name, { data, shape }] of Object.entries(arrays)) {
    members[`${name}.npy`] = [writeNpy(data, shape), { level: 0 }];
  }
  return fflate.zipSync(members, { level: 0, mtime: new Date("1980-01-01T00:00:00Z") });
}
