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
import {
  decodeIdx,
  type DecodeIdxOptions,
  type IdxArray,
  IdxError,
  type IdxScale,
} from "./gunzip_idx.ts";

export { type IdxArray, IdxError, type IdxScale };

/** Options for {@linkcode readIdx}. */
export type ReadIdxOptions = DecodeIdxOptions;

/**
 * Parses an IDX file of unsigned bytes, raw or gzip-compressed (detected by
 * content, not by name), validating magic, element type, rank and the
 * dimensions against the file length. Decoding runs in one fused pass of the
 * `gunzip_idx` Wasm kernel (inflate + CRC32 + header + float32 scaling); see
 * {@linkcode decodeIdx}.
 *
 * @example
 * ```ts
 * const labels = readIdx(await Deno.readFile("data/t10k-labels-idx1-ubyte"));
 * // labels.shape: [10000]; labels.data: Uint8Array of digits
 * ```
 */
export function readIdx(bytes: Uint8Array, options: ReadIdxOptions = {}): IdxArray {
  return decodeIdx(bytes, options);
}
