/**
 * IDX files (the MNIST / Fashion-MNIST format), raw or gzip, to typed arrays.
 *
 * ```ts
 * import { readIdx } from "./idx.ts";
 * const bytes = await Deno.readFile("data/t10k-images-idx3-ubyte.gz");
 * const { shape, data } = readIdx(bytes, { scale: "unit", name: "t10k-images-idx3-ubyte.gz" });
 * // shape: [10000, 28, 28]; data: Float32Array in [0, 1]
 * ```
 *
 * @module
 */
import { fflate } from "../deps.ts";

/** How pixel bytes become numbers: `unit` = [0,1], `symmetric` = [-1,1], `none` = the bytes. */
export type IdxScale = "unit" | "symmetric" | "none";

/** Options for {@linkcode readIdx}. */
export interface ReadIdxOptions {
  /** Pixel scaling for rank > 1 files (default `unit`); rank-1 files (labels) are always returned as bytes. */
  scale?: IdxScale;
  /** The file's name, used in error messages (default `IDX data`). */
  name?: string;
}

/** A decoded IDX file. */
export interface IdxArray {
  /** Dimensions from the header, e.g. `[60000, 28, 28]`. */
  shape: number[];
  /** Row-major values: `Float32Array` when scaled, the raw `Uint8Array` for `none` and for labels. */
  data: Float32Array | Uint8Array;
}

/** An IDX file that cannot be read, with the file and byte offset at fault. */
export class IdxError extends Error {
  override name = "IdxError";
}

const TYPE_NAMES: Record<number, string> = {
  0x08: "unsigned byte",
  0x09: "signed byte",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};

/** True when `bytes` start with the gzip magic number (1f 8b). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses an IDX file of unsigned bytes, raw or gzip-compressed (detected by
 * content, not by name), validating magic, element type, rank and the
 * dimensions against the file length.
 *
 * @example
 * ```ts
 * const labels = readIdx(await Deno.readFile("data/t10k-labels-idx1-ubyte"));
 * // labels.shape: [10000]; labels.data: Uint8Array of digits
 * ```
 */
export function readIdx(bytes: Uint8Array, options: ReadIdxOptions = {}): IdxArray {
  const name = options.name ?? "IDX data";
  const scale = options.scale ?? "unit";
  if (bytes.length === 0) throw new IdxError(`${name}: empty file, expected an IDX header`);
  const raw = isGzip(bytes) ? gunzip(bytes, name) : bytes;
  const shape = parseHeader(raw, name);
  const headerBytes = 4 + 4 * shape.length;
  const body = raw.subarray(headerBytes);
  if (shape.length === 1 || scale === "none") return { shape, data: body.slice() };
  return { shape, data: normalise(body, scale) };
}

function gunzip(bytes: Uint8Array, name: string): Uint8Array {
  try {
    return fflate.gunzipSync(bytes);
  } catch (e) {
    throw new IdxError(`${name}: corrupt gzip stream: ${(e as Error).message}`);
  }
}

function parseHeader(raw: Uint8Array, name: string): number[] {
  const where = (offset: number) => `${name}: offset ${offset}`;
  if (raw.length < 4) {
    throw new IdxError(`${where(0)}: truncated header, expected 4 magic bytes, found ${raw.length}`);
  }
  if (raw[0] !== 0 || raw[1] !== 0) {
    const found = [...raw.subarray(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join(" ");
    throw new IdxError(`${where(0)}: not an IDX file: expected magic 00 00 08 <rank>, found ${found}`);
  }
  if (raw[2] !== 0x08) {
    const type = TYPE_NAMES[raw[2]] ?? "unknown";
    throw new IdxError(
      `${where(2)}: element type 0x${raw[2].toString(16).padStart(2, "0")} (${type}); expected 0x08 (unsigned byte)`,
    );
  }
  const rank = raw[3];
  if (rank < 1 || rank > 4) throw new IdxError(`${where(3)}: rank ${rank}, expected 1 to 4`);
  const headerBytes = 4 + 4 * rank;
  if (raw.length < headerBytes) {
    throw new IdxError(
      `${where(4)}: truncated header, expected ${rank} dimensions (${headerBytes} header bytes), file has ${raw.length} bytes`,
    );
  }
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = view.getUint32(4 + 4 * i);
    if (d === 0) throw new IdxError(`${where(4 + 4 * i)}: dimension ${i} is 0, expected >= 1`);
    shape.push(d);
  }
  const expected = shape.reduce((a, b) => a * b, 1);
  const actual = raw.length - headerBytes;
  if (actual !== expected) {
    const what = actual < expected ? "truncated" : `${actual - expected} trailing bytes`;
    throw new IdxError(
      `${where(headerBytes)}: ${what}: the header declares ${shape.join("x")} = ${expected} data bytes, ` +
        `the file has ${actual} after the ${headerBytes}-byte header`,
    );
  }
  return shape;
}

function normalise(body: Uint8Array, scale: "unit" | "symmetric"): Float32Array {
  const out = new Float32Array(body.length);
  const [mul, add] = scale === "unit" ? [1 / 255, 0] : [2 / 255, -1];
  for (let i = 0; i < body.length; i++) out[i] = body[i] * mul + add;
  return out;
}
