/**
 * PNG encoding of 8-bit RGBA or greyscale pixels, with fflate's zlib.
 *
 * ```ts
 * import { encodePng } from "./png.ts";
 * const png = encodePng(new Uint8Array(4 * 4 * 4).fill(255), { width: 4, height: 4 });
 * ```
 *
 * @module
 */
import { fflate } from "../deps.ts";

/** Options for {@linkcode encodePng}. */
export interface EncodePngOptions {
  width: number;
  height: number;
  /** Channels per pixel: 1 (grey) or 4 (RGBA, the default). */
  channels?: 1 | 4;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/**
 * Encodes pixels (row-major, `channels` bytes each) as a PNG file.
 *
 * @example
 * ```ts
 * const grey = new Uint8Array(28 * 28);
 * await Deno.writeFile("digit.png", encodePng(grey, { width: 28, height: 28, channels: 1 }));
 * ```
 */
export function encodePng(pixels: Uint8Array, options: EncodePngOptions): Uint8Array {
  const { width, height, channels = 4 } = options;
  if (pixels.length !== width * height * channels) {
    throw new Error(`encodePng: ${pixels.length} bytes for ${width}x${height}x${channels}`);
  }
  const stride = width * channels;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr[8] = 8;
  ihdr[9] = channels === 4 ? 6 : 0;
  const parts = [
    new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk("IHDR", ihdr),
    chunk("IDAT", fflate.zlibSync(raw, { level: 6 })),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) (out.set(p, off), off += p.length);
  return out;
}
