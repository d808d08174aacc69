/**
 * `.npz` archives: written as `numpy.savez` writes them (a zip of `.npy`
 * members, stored uncompressed), read whether stored or deflated.
 *
 * ```ts
 * import { readNpz, writeNpz } from "./npz.ts";
 * const zip = writeNpz({ x: { data: new Float32Array(6), shape: [2, 3] } });
 * readNpz(zip).x.shape; // [2, 3], as np.load("a.npz")["x"].shape
 * ```
 *
 * @module
 */
import { fflate } from "../deps.ts";
import {
  type NpyArray,
  type NpyData,
  NpyError,
  readNpy,
  type ReadNpyOptions,
  writeNpy,
} from "./npy.ts";

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

/** Whether a zip's end-of-central-directory record (`PK\x05\x06`) sits in its last 64 KiB. */
function hasEndOfDirectory(bytes: Uint8Array): boolean {
  const last = Math.max(0, bytes.length - 22 - 0xffff);
  for (let o = bytes.length - 22; o >= last; o--) {
    if (bytes[o] === 0x50 && bytes[o + 1] === 0x4b && bytes[o + 2] === 5 && bytes[o + 3] === 6) {
      return true;
    }
  }
  return false;
}

/**
 * Parses a NumPy `.npz` archive (stored or deflated) into its arrays, keyed
 * by name without `.npy`; each member reads as {@linkcode readNpy} reads a
 * file. A truncated archive is an error naming its length.
 *
 * @example
 * ```ts
 * import { readNpz } from "./npz.ts";
 * const { test_features } = readNpz(await Deno.readFile("runs/conv/features.npz"));
 * ```
 */
export function readNpz(bytes: Uint8Array, options: ReadNpyOptions = {}): Record<string, NpyArray> {
  const source = options.source ?? "npz";
  const fail = (offset: number, what: string) =>
    new NpyError(`${source}: at byte ${offset}: ${what}`);
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    throw fail(0, 'expected a zip archive ("PK"), as numpy.savez writes');
  }
  if (!hasEndOfDirectory(bytes)) {
    throw fail(
      bytes.length,
      "the archive ends without its zip directory (truncated, or not a complete .npz)",
    );
  }
  let files: Record<string, Uint8Array>;
  try {
    files = fflate.unzipSync(bytes);
  } catch (e) {
    throw fail(0, `not a readable zip archive (${e instanceof Error ? e.message : e})`);
  }
  const out: Record<string, NpyArray> = {};
  for (const [name, content] of Object.entries(files)) {
    if (!name.endsWith(".npy")) continue;
    out[name.slice(0, -4)] = readNpy(content, { source: `${source}/${name}` });
  }
  return out;
}
