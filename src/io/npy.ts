/**
 * NumPy `.npy` files: format versions 1.0, 2.0 and 3.0. Reading takes every
 * dtype NumPy writes for numeric data (bool, int8-int64, uint8-uint64,
 * float16/32/64) in either byte order and C or Fortran order; writing gives
 * the dtype of the typed array, little-endian, C order.
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

/** The element types this module reads: every numeric dtype NumPy writes, and bool. */
export type NpyDtype =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float16"
  | "float32"
  | "float64";

/**
 * The typed arrays values are read into: each dtype's own where JavaScript
 * has it; bool as `Uint8Array` (0 or 1), float16 as `Float32Array`, and
 * int64 / uint64 as `Float64Array` (exact up to 2^53; larger values are an error).
 */
export type NpyData =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int8Array
  | Int16Array
  | Int32Array;

/** An array read from a `.npy` file. */
export interface NpyArray {
  /** The elements in C (row-major) order, in native byte order, whatever the file's order. */
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

/** How each dtype's elements are decoded: NumPy's type code, bytes, and a DataView reader. */
const KINDS: Record<
  string,
  { dtype: NpyDtype; size: number; make: (n: number) => NpyData; get: Getter }
> = {
  b1: { dtype: "bool", size: 1, make: (n) => new Uint8Array(n), get: (v, o) => v.getUint8(o) },
  i1: { dtype: "int8", size: 1, make: (n) => new Int8Array(n), get: (v, o) => v.getInt8(o) },
  i2: {
    dtype: "int16",
    size: 2,
    make: (n) => new Int16Array(n),
    get: (v, o, le) => v.getInt16(o, le),
  },
  i4: {
    dtype: "int32",
    size: 4,
    make: (n) => new Int32Array(n),
    get: (v, o, le) => v.getInt32(o, le),
  },
  i8: {
    dtype: "int64",
    size: 8,
    make: (n) => new Float64Array(n),
    get: (v, o, le) => Number(v.getBigInt64(o, le)),
  },
  u1: { dtype: "uint8", size: 1, make: (n) => new Uint8Array(n), get: (v, o) => v.getUint8(o) },
  u2: {
    dtype: "uint16",
    size: 2,
    make: (n) => new Uint16Array(n),
    get: (v, o, le) => v.getUint16(o, le),
  },
  u4: {
    dtype: "uint32",
    size: 4,
    make: (n) => new Uint32Array(n),
    get: (v, o, le) => v.getUint32(o, le),
  },
  u8: {
    dtype: "uint64",
    size: 8,
    make: (n) => new Float64Array(n),
    get: (v, o, le) => Number(v.getBigUint64(o, le)),
  },
  f2: {
    dtype: "float16",
    size: 2,
    make: (n) => new Float32Array(n),
    get: (v, o, le) => halfToFloat(v.getUint16(o, le)),
  },
  f4: {
    dtype: "float32",
    size: 4,
    make: (n) => new Float32Array(n),
    get: (v, o, le) => v.getFloat32(o, le),
  },
  f8: {
    dtype: "float64",
    size: 8,
    make: (n) => new Float64Array(n),
    get: (v, o, le) => v.getFloat64(o, le),
  },
};
type Getter = (view: DataView, offset: number, littleEndian: boolean) => number;

/** An IEEE 754 half-precision value from its 16 bits. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Why a dtype NumPy can write has no numbers for us, by its kind letter. */
const REFUSED: Record<string, string> = {
  O: "an object array (dtype 'O') holds pickled Python objects, not numbers: save a numeric " +
    "array, e.g. np.save(path, np.asarray(a, dtype=np.float32))",
  U: "a string array holds text, not numbers",
  S: "a bytes array holds text, not numbers",
  c: "complex numbers have no place in an image or a table: save np.abs(a) or the real part",
  M: "datetimes are not numbers: convert them first",
  m: "timedeltas are not numbers: convert them first",
  V: "a structured or void array: save each field as its own array",
};

/** Options for {@linkcode readNpy}. */
export interface ReadNpyOptions {
  /** Named in errors (default "npy"). */
  source?: string;
}

/**
 * Parses a `.npy` file of any numeric dtype or bool, either byte order, C or
 * Fortran order (returned in C order). Errors name the source, the byte
 * offset and what was expected: an object or text dtype, a header that
 * does not parse, a file cut short.
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
  if (bytes.length < 6 || MAGIC.some((b, i) => bytes[i] !== b)) {
    throw fail(0, 'expected the magic string "\\x93NUMPY" of a .npy file');
  }
  if (bytes.length < 8) throw fail(bytes.length, "the file ends inside its version (truncated)");
  const major = bytes[6];
  if (major < 1 || major > 3) {
    throw fail(6, `expected format version 1, 2 or 3, got ${major}.${bytes[7]}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenSize) {
    throw fail(bytes.length, "the file ends inside its header length (truncated)");
  }
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lenSize, dataStart = start + headerLen;
  if (bytes.length < dataStart) {
    throw fail(
      bytes.length,
      `the header of ${headerLen} bytes (from byte ${start}) runs past the end (truncated)`,
    );
  }
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(start, dataStart),
  );
  const descr = /'descr'\s*:\s*'([<>|=]?)([a-zA-Z])(\d*)'/.exec(header);
  if (!descr) {
    const structured = /'descr'\s*:\s*\[/.test(header);
    throw fail(
      start,
      structured
        ? `${REFUSED.V} (the header is ${header.trim()})`
        : `expected a 'descr' like '<f4' in the header ${header.trim()}`,
    );
  }
  const [, order, letter, width] = descr;
  const kind = KINDS[`${letter}${width}`];
  if (!kind) {
    throw fail(
      start,
      `dtype '${order}${letter}${width}': ${
        REFUSED[letter] ??
          "expected bool, int8-int64, uint8-uint64 or float16/32/64"
      }`,
    );
  }
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  if (!fortran) throw fail(start, "expected 'fortran_order': True or False in the header");
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!shapeMatch) throw fail(start, "expected a 'shape' tuple in the header");
  const shape = shapeMatch[1].split(",").map((s) => s.trim()).filter((s) => s !== "").map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw fail(start, `bad shape (${shapeMatch[1]})`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const byteLength = count * kind.size;
  if (bytes.length - dataStart < byteLength) {
    const whole = Math.floor((bytes.length - dataStart) / kind.size);
    throw fail(
      dataStart + whole * kind.size,
      `shape (${shape.join(", ")}) of ${kind.dtype} needs ${byteLength} data bytes from byte ` +
        `${dataStart}, the file has ${bytes.length - dataStart}: it ends in element ${whole} ` +
        "(truncated)",
    );
  }
  const little = order !== ">";
  const fortranOrder = fortran[1] === "True" && shape.length > 1;
  // 64-bit integers become float64 after a range check, float16 float32: no plain copy for them.
  const exact = kind.size === 8 && letter !== "f";
  const sample = kind.make(0);
  const sameBytes = sample.BYTES_PER_ELEMENT === kind.size && !exact;
  if ((little || kind.size === 1) && !fortranOrder && sameBytes) {
    // The file's bytes are the typed array's (typed arrays are little-endian
    // wherever Deno runs): one copy, which also aligns them.
    const raw = bytes.slice(dataStart, dataStart + byteLength);
    const data = new (sample.constructor as new (b: ArrayBuffer) => NpyData)(raw.buffer);
    return { data, shape, dtype: kind.dtype };
  }
  const data = kind.make(count);
  // In Fortran order the first index varies fastest: element i of the file
  // goes where its indices fall in C order.
  const target = fortranOrder ? fortranToC(shape) : undefined;
  for (let i = 0; i < count; i++) {
    const offset = dataStart + i * kind.size;
    const v = kind.get(view, offset, little);
    if (exact && !Number.isSafeInteger(v)) {
      throw fail(offset, `${kind.dtype} element ${i} exceeds 2^53, beyond exact float64 integers`);
    }
    data[target ? target[i] : i] = v;
  }
  return { data, shape, dtype: kind.dtype };
}

/** For each element of a Fortran-order array of `shape`, its index in C order. */
function fortranToC(shape: readonly number[]): Uint32Array {
  const count = shape.reduce((a, b) => a * b, 1);
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  const out = new Uint32Array(count);
  const index = new Array<number>(shape.length).fill(0);
  let c = 0;
  for (let f = 0; f < count; f++) {
    out[f] = c;
    // Advance the first index fastest, carrying into the next ones.
    for (let k = 0; k < shape.length; k++) {
      if (++index[k] < shape[k]) {
        c += strides[k];
        break;
      }
      c -= (shape[k] - 1) * strides[k];
      index[k] = 0;
    }
  }
  return out;
}

/** The descr `writeNpy` gives each typed array. */
function descrOf(data: NpyData): string {
  if (data instanceof Float32Array) return "<f4";
  if (data instanceof Float64Array) return "<f8";
  if (data instanceof Uint8Array) return "|u1";
  if (data instanceof Int8Array) return "|i1";
  if (data instanceof Uint16Array) return "<u2";
  if (data instanceof Int16Array) return "<i2";
  if (data instanceof Uint32Array) return "<u4";
  return "<i4";
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
  let header = `{'descr': '${descrOf(data)}', 'fortran_order': False, 'shape': ${tuple}, }`;
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
