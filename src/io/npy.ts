/**
 * NumPy `.npy` files: format versions 1.0, 2.0 and 3.0, C order, dtypes
 * float32, float64, uint8 and int32 (either byte order when reading); and
 * reading the `.npz` archives of them.
 *
 * ```ts
 * import { readNpy, writeNpy } from "./npy.ts";
 * const bytes = writeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]);
 * const { data, shape, dtype } = readNpy(bytes); // Float32Array [1, 2, 3, 4], [2, 2], "float32"
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** The element types this module reads and writes. */
export type NpyDtype = "float32" | "float64" | "uint8" | "int32";

/** The typed array of each dtype. */
export type NpyData = Float32Array | Float64Array | Uint8Array | Int32Array;

/** An array read from a `.npy` file. */
export interface NpyArray {
  /** The elements in C (row-major) order, in native byte order. */
  data: NpyData;
  /** Dimensions, outermost first; `[]` for a scalar. */
  shape: number[];
  /** Element type, whatever the file's byte order was. */
  dtype: NpyDtype;
}

/** A malformed or unsupported `.npy` file. */
export class NpyError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "NpyError";
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const KINDS: Record<string, { dtype: NpyDtype; size: number }> = {
  f4: { dtype: "float32", size: 4 },
  f8: { dtype: "float64", size: 8 },
  u1: { dtype: "uint8", size: 1 },
  i4: { dtype: "int32", size: 4 },
};
const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  uint8: Uint8Array,
  int32: Int32Array,
} as const;

/** Options for {@linkcode readNpy}. */
export interface ReadNpyOptions {
  /** Named in errors (default "npy"). */
  source?: string;
}

/**
 * Parses a `.npy` file.
 *
 * @example
 * ```ts
 * const { data, shape } = readNpy(await Deno.readFile("embedding.npy"), { source: "embedding.npy" });
 * ```
 */
export function readNpy(bytes: Uint8Array, options: ReadNpyOptions = {}): NpyArray {
  const source = options.source ?? "npy";
  const fail = (offset: number, what: string) =>
    new NpyError(`${source}: at byte ${offset}: ${what}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw fail(0, 'expected the magic string "\\x93NUMPY"');
  }
  const major = bytes[6];
  if (major < 1 || major > 3) {
    throw fail(6, `expected format version 1, 2 or 3, got ${major}.${bytes[7]}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) throw fail(8, "truncated header length");
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenSize, dataStart = start + headerLen;
  if (bytes.length < dataStart) throw fail(start, `header of ${headerLen} bytes runs past the end`);
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, dataStart),
  );
  const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
  if (!descr) throw fail(start, `expected a 'descr' like '<f4' in the header ${header.trim()}`);
  const kind = KINDS[descr[2]];
  if (!kind) {
    throw fail(
      start,
      `dtype '${descr[1]}${descr[2]}' is not one of float32, float64, uint8, int32`,
    );
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  if (!fortran) throw fail(start, "expected 'fortran_order': True or False in the header");
  if (fortran[1] === "True") {
    throw fail(start, "Fortran-order arrays are not supported: save np.ascontiguousarray(a)");
  }
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeMatch) throw fail(start, "expected a 'shape' tuple in the header");
  const shape = shapeMatch[1].split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw fail(start, `bad shape (${shapeMatch[1]})`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const byteLength = count * kind.size;
  if (bytes.length - dataStart < byteLength) {
    throw fail(
      dataStart,
      `shape (${shape.join(", ")}) needs ${byteLength} data bytes, the file has ${
        bytes.length - dataStart
      }`,
    );
  }
  // Copy, so the array is aligned and owns its memory; swap bytes when big-endian.
  const raw = bytes.slice(dataStart, dataStart + byteLength);
  if (descr[1] === ">" && kind.size > 1) {
    for (let o = 0; o < raw.length; o += kind.size) raw.subarray(o, o + kind.size).reverse();
  }
  return { data: new CTORS[kind.dtype](raw.buffer, 0, count), shape, dtype: kind.dtype };
}

const DESCR: Record<NpyDtype, string> = {
  float32: "<f4",
  float64: "<f8",
  uint8: "|u1",
  int32: "<i4",
};

function dtypeOf(data: NpyData): NpyDtype {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Uint8Array) return "uint8";
  return "int32";
}

/**
 * Encodes `data` with `shape` (default: 1-D) as a `.npy` file: version 1.0,
 * or 2.0 when the header needs more than 65535 bytes, with the data 64-byte
 * aligned as NumPy writes it.
 *
 * @example
 * ```ts
 * import { writeNpy } from "./npy.ts";
 * const embedding = new Float32Array([0, 1, 2, 3, 4, 5]); // 3 points in 2-D
 * await Deno.writeFile("embedding.npy", writeNpy(embedding, [3, 2]));
 * ```
 */
export function writeNpy(data: NpyData, shape: readonly number[] = [data.length]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new NpyError(
      `writeNpy: shape (${shape.join(", ")}) holds ${count} values, got ${data.length}`,
    );
  }
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
  let header = `{'descr': '${DESCR[dtypeOf(data)]}', 'fortran_order': False, 'shape': ${tuple}, }`;
  const version = header.length + 11 > 65535 ? 2 : 1;
  const prefix = version === 1 ? 10 : 12;
  header = header.padEnd(Math.ceil((prefix + header.length + 1) / 64) * 64 - prefix - 1, " ") +
    "\n";
  const out = new Uint8Array(prefix + header.length + data.byteLength);
  out.set(MAGIC);
  out[6] = version;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[prefix + i] = header.charCodeAt(i);
  // Typed arrays are little-endian on every platform Deno runs on.
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), prefix + header.length);
  return out;
}
