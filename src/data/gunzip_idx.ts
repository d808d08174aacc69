/**
 * IDX decoding, gzip or raw, in one pass through the `asm/gunzip_idx.wasm` kernel:
 * inflate (with CRC32 and ISIZE checks), IDX header parsing and uint8 -> float32
 * normalisation are fused, so the decompressed bytes never exist as a full-size buffer.
 * The kernel asks this wrapper for the CRC32 of each decoded window, which node:zlib
 * computes with carry-less multiplication (Wasm has none).
 *
 * ```ts
 * import { decodeIdx } from "./gunzip_idx.ts";
 * const bytes = await Deno.readFile("data/train-images-idx3-ubyte.gz");
 * const { shape, data } = decodeIdx(bytes, { scale: "unit", name: "train-images-idx3-ubyte.gz" });
 * // shape [60000, 28, 28]; data: Float32Array in [0, 1]
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { crc32 } from "node:zlib";
import * as kernel from "../../asm/gunzip_idx.wasm";

/** How pixel bytes become numbers: `unit` = [0,1], `symmetric` = [-1,1], `none` = the bytes. */
export type IdxScale = "unit" | "symmetric" | "none";

/** Options for {@linkcode decodeIdx}. */
export interface DecodeIdxOptions {
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
export class IdxError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "IdxError";
}

const SCALE_CODE: Record<IdxScale, number> = { none: 0, unit: 1, symmetric: 2 };
const HEADER = 1;
const CHUNK = 2;
const NEED_CRC = 3;
const NEED_INPUT = 4;
/** Raw IDX goes into the kernel in pieces of this many bytes, so its memory stays small. */
const RAW_PIECE = 1 << 20;

/**
 * Decodes an IDX file of unsigned bytes, gzip-compressed (detected by the magic `1f 8b`,
 * single or multi-member) or raw, to its shape and a Float32Array scaled to [0, 1] or
 * [-1, 1] (exactly `Math.fround(b / 255)` and `Math.fround(b / 127.5 - 1)`), or to the bytes.
 * Corrupt gzip (truncated, bad CRC32 or ISIZE, invalid deflate data, trailing garbage)
 * and invalid IDX (magic, element type, rank 1-4, zero dims, length vs dims) throw an
 * {@linkcode IdxError} naming the file, the byte offset and what was expected.
 *
 * @example
 * ```ts
 * const labels = decodeIdx(await Deno.readFile("t10k-labels-idx1-ubyte.gz"));
 * // labels.shape [10000]; labels.data: Uint8Array of digits
 * ```
 */
export function decodeIdx(bytes: Uint8Array, options: DecodeIdxOptions = {}): IdxArray {
  const { scale = "unit", name = "IDX data" } = options;
  const code = SCALE_CODE[scale];
  if (code === undefined) throw new IdxError(`${name}: unknown scale "${scale}"`);
  const gzip = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  let fed = gzip ? bytes.length : Math.min(bytes.length, RAW_PIECE);
  const ptr = kernel.inputPtr(fed);
  if (ptr === 0) throw new IdxError(`${name}: ${bytes.length} bytes do not fit in Wasm memory`);
  // The kernel's memory only grows in inputPtr(), so this buffer serves the whole decode.
  const memory = kernel.memory.buffer;
  new Uint8Array(memory, ptr, fed).set(bytes.subarray(0, fed));
  let status = kernel.start(fed, bytes.length, code);
  let shape: number[] = [];
  let data: Float32Array | Uint8Array = new Uint8Array(0);
  let filled = 0;
  while (status > 0) {
    if (status === HEADER) {
      shape = Array.from({ length: kernel.rank() }, (_, i) => kernel.dim(i));
      const count = shape.reduce((a, b) => a * b, 1);
      const bytesOut = code === 0 || shape.length === 1;
      if (bytesOut) kernel.setScale(0);
      try {
        data = bytesOut ? new Uint8Array(count) : new Float32Array(count);
      } catch (e) {
        throw new IdxError(`${name}: cannot allocate ${shape.join("x")} elements: ${e}`);
      }
    } else if (status === CHUNK) {
      const n = kernel.chunkLen();
      const at = kernel.chunkPtr();
      const chunk = data instanceof Float32Array
        ? new Float32Array(memory, at, n)
        : new Uint8Array(memory, at, n);
      data.set(chunk, filled);
      filled += n;
    } else if (status === NEED_CRC) {
      const window = new Uint8Array(memory, kernel.crcPtr(), kernel.crcLen());
      kernel.setCrc(crc32(window, kernel.crcValue() >>> 0));
    } else if (status === NEED_INPUT) {
      const piece = bytes.subarray(fed, fed + RAW_PIECE);
      new Uint8Array(memory, ptr, piece.length).set(piece);
      fed += piece.length;
      status = kernel.feed(piece.length);
      continue;
    }
    status = kernel.resume();
  }
  if (status < 0) throw new IdxError(`${name}: ${describeError(status)}`);
  return { shape, data };
}

const TYPE_NAMES: Record<number, string> = {
  0x08: "unsigned byte",
  0x09: "signed byte",
  0x0b: "int16",
  0x0c: "int32",
  0x0d: "float32",
  0x0e: "float64",
};

function hex(x: number, digits = 8): string {
  return "0x" + (x >>> 0).toString(16).padStart(digits, "0");
}

/** The kernel's error code and details as a sentence. */
function describeError(status: number): string {
  const at = kernel.errOffset();
  const a = kernel.errA();
  const b = kernel.errB();
  const gz = `gzip byte ${at} (member ${kernel.memberIndex()})`;
  // IDX offsets count bytes of the decompressed data when the input is gzip.
  const body = kernel.memberIndex() > 0 ? "decompressed data" : "file";
  const dims = () => Array.from({ length: kernel.rank() }, (_, i) => kernel.dim(i));
  const declared = () =>
    `the header declares ${dims().join("x")} = ${a} data bytes, the ${body} has ${b} after ` +
    `the ${at}-byte header`;
  switch (status) {
    case -1:
      return `truncated gzip: input ends at byte ${at} inside member ${kernel.memberIndex()}`;
    case -2:
      return `${gz}: compression method ${a}, expected 8 (deflate)`;
    case -3:
      return `${gz}: reserved flag bits set in ${hex(a, 2)}, expected 0`;
    case -4:
      return `${gz}: header CRC16 ${hex(a, 4)}, expected ${hex(b, 4)}`;
    case -5:
      return `${gz}: deflate block type 3 (reserved), expected 0, 1 or 2`;
    case -6:
      return `${gz}: stored block LEN ${a} with NLEN ${b}, expected NLEN = ~LEN`;
    case -7:
      return `${gz}: invalid Huffman code lengths in a dynamic block header`;
    case -8:
      return `${gz}: invalid literal/length or distance code`;
    case -9:
      return `${gz}: match distance reaches before the start of the member`;
    case -10:
      return `${gz}: CRC32 ${hex(a)} in the trailer, the data has ${hex(b)}`;
    case -11:
      return `${gz}: ISIZE ${a} in the trailer, the data has ${b} bytes (mod 2^32)`;
    case -12:
      return `gzip byte ${at}: ${a} bytes of trailing garbage after member ` +
        `${kernel.memberIndex()}, expected the end or another gzip member`;
    case -13: {
      const found = hex(a).slice(2).match(/../g)!.join(" ");
      return `offset 0: not an IDX file: expected magic 00 00 08 <rank>, found ${found}`;
    }
    case -14:
      return `offset 2: element type ${hex(a, 2)} (${TYPE_NAMES[a] ?? "unknown"}); ` +
        "expected 0x08 (unsigned byte)";
    case -15:
      return `offset 3: rank ${a}, expected 1 to 4`;
    case -16:
      return at === 0
        ? `offset 0: truncated header, expected 4 magic bytes, found ${b}`
        : `offset 4: truncated header, expected ${kernel.rank()} dimensions (${a} header bytes), ` +
          `the ${body} has ${b} bytes`;
    case -17:
      return `offset ${at}: truncated: ${declared()}`;
    case -18:
      return `offset ${at}: ${b - a} trailing bytes: ${declared()}`;
    case -19:
      return `offset ${at}: the dimensions ${dims().join("x")} exceed 2^32 - 1 elements`;
    case -20:
      return "empty file, expected an IDX header";
    case -21:
      return `offset ${at}: dimension ${a} is 0, expected >= 1`;
    case -22:
      return `offset ${at}: the header declares ${dims().join("x")} = ${a} data bytes, more than ` +
        `${b} bytes of gzip can inflate to (1032:1 at most)`;
    default:
      return `gunzip_idx kernel error ${status}`;
  }
}
