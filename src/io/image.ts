/**
 * Decoding PNG and JPEG files into 8-bit pixels, with the npm libraries
 * `pngjs` (JavaScript over `node:zlib`) and `jpeg-js` (pure JavaScript); no
 * native add-on, no permission beyond reading the file. The format is
 * told by the file's first bytes, not its name. Every picture comes out as
 * one channel (grey) or three (RGB), channels last:
 *
 * - PNG: 1-, 2-, 4-, 8- and 16-bit grey, grey + alpha, RGB, RGBA and palette
 *   images, interlaced or not. Alpha is dropped (not composited over any
 *   background); 16-bit samples are reduced to 8 bits as `round(v / 257)`, the
 *   inverse of the 8-to-16-bit scaling PNG encoders use; low bit depths are
 *   stretched to 0-255.
 * - JPEG: baseline and progressive, grey or colour (YCbCr, converted to RGB).
 *
 * A picture is grey, one channel, when the file says so or when every pixel
 * has R = G = B (a grey JPEG, or a palette of greys), otherwise RGB.
 *
 * ```ts
 * import { decodeImage } from "./image.ts";
 * const picture = decodeImage(await Deno.readFile("data/cats/1.png"), { source: "data/cats/1.png" });
 * console.log(picture.width, picture.height, picture.channels); // e.g. 32 32 3
 * ```
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { crc32 } from "node:zlib";
import { jpegJs, pngjs } from "../deps.ts";
import { UserError } from "../errors.ts";

/** A decoded picture: `height x width x channels` 8-bit samples, row-major, channels last. */
export interface Picture {
  /** Width in pixels. */
  width: number;
  /** Height in pixels. */
  height: number;
  /** 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  /** The samples, `height * width * channels` of them. */
  pixels: Uint8Array;
}

/** A file that is not a PNG or JPEG this module decodes. */
export class ImageError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "ImageError";
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The image format `bytes` begin with: a PNG's signature or a JPEG's
 * start-of-image marker; `undefined` for anything else.
 *
 * @example
 * ```ts
 * import { imageKind } from "./image.ts";
 * imageKind(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)); // "jpeg"
 * ```
 */
export function imageKind(bytes: Uint8Array): "png" | "jpeg" | undefined {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  return undefined;
}

/** Options for {@linkcode decodeImage}. */
export interface DecodeImageOptions {
  /** The file, named in errors (default `image`). */
  source?: string;
}

/**
 * Decodes a PNG or JPEG file (see the module doc for what is read and how).
 * Anything else, or a file the decoder rejects, is an {@linkcode ImageError}
 * naming `source` (and the byte offset where the file's structure says it).
 *
 * @example
 * ```ts
 * import { decodeImage } from "./image.ts";
 * const png = await Deno.readFile("data/digits/3/0001.png");
 * const { width, height, channels, pixels } = decodeImage(png, { source: "0001.png" });
 * ```
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): Picture {
  const source = options.source ?? "image";
  const kind = imageKind(bytes);
  if (kind === "png") return decodePng(bytes, source);
  if (kind === "jpeg") return decodeJpeg(bytes, source);
  throw new ImageError(
    `${source}: at byte 0: expected a PNG (\\x89PNG) or JPEG (\\xff\\xd8\\xff) file`,
  );
}

function decodePng(bytes: Uint8Array, source: string): Picture {
  checkPngChunks(bytes, source);
  // pngjs expands every colour type and depth to 8-bit RGBA (16-bit samples as round(v / 257)).
  let png: { width: number; height: number; data: Uint8Array; colorType: number };
  try {
    png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new ImageError(`${source}: corrupt PNG: ${(e as Error).message}`);
  }
  const { width, height, data } = png;
  // Colour types 0 and 4 are grey (with alpha); 2, 3 and 6 colour (a grey palette is found below).
  const channels = png.colorType === 0 || png.colorType === 4 ? 1 : 3;
  const pixels = new Uint8Array(width * height * channels);
  for (let p = 0, o = 0; o < pixels.length; p += 4) {
    for (let c = 0; c < channels; c++) pixels[o++] = data[p + c];
  }
  return greyIfEqual({ width, height, channels, pixels });
}

const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;

/**
 * The chunks of a PNG lie within the file and match their CRCs: a cut or
 * altered file is named with the byte where the broken chunk starts.
 */
function checkPngChunks(bytes: Uint8Array, source: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 8;
  while (at + 8 <= bytes.length) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + length > bytes.length) {
      throw new ImageError(
        `${source}: at byte ${at}: chunk ${type} of ${length} bytes runs past the end of the ` +
          `file (${bytes.length} bytes): expected a complete PNG`,
      );
    }
    const stored = view.getUint32(at + 8 + length);
    const crc = crc32(bytes.subarray(at + 4, at + 8 + length)) >>> 0;
    if (crc !== stored) {
      throw new ImageError(
        `${source}: at byte ${at}: chunk ${type}'s CRC is ${hex(stored)} but its bytes give ` +
          `${hex(crc)}: expected an intact PNG`,
      );
    }
    if (type === "IEND") return;
    at += 12 + length;
  }
  throw new ImageError(`${source}: at byte ${at}: the file ends before the PNG's IEND chunk`);
}

function decodeJpeg(bytes: Uint8Array, source: string): Picture {
  let jpeg: { width: number; height: number; data: Uint8Array };
  try {
    jpeg = jpegJs.decode(bytes, { useTArray: true, formatAsRGBA: false });
  } catch (e) {
    throw new ImageError(
      `${source}: corrupt JPEG: ${(e as Error).message}; expected a baseline or progressive JPEG`,
    );
  }
  return greyIfEqual({ width: jpeg.width, height: jpeg.height, channels: 3, pixels: jpeg.data });
}

/** An RGB picture whose every pixel has R = G = B, as one channel; anything else as it is. */
function greyIfEqual(picture: Picture): Picture {
  if (picture.channels === 1) return picture;
  const p = picture.pixels;
  for (let i = 0; i < p.length; i += 3) {
    if (p[i] !== p[i + 1] || p[i] !== p[i + 2]) return picture;
  }
  const grey = new Uint8Array(p.length / 3);
  for (let i = 0; i < grey.length; i++) grey[i] = p[i * 3];
  return { ...picture, channels: 1, pixels: grey };
}
