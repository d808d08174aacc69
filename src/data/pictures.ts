/**
 * What image sources do to decoded pictures before they become a dataset:
 * resizing to one size (`--image-size HxW`) and converting to grey
 * (`--grayscale`).
 *
 * - Resizing is bilinear with half-pixel centres and no antialiasing, the
 *   formula of PyTorch's `interpolate(mode="bilinear", align_corners=False)`
 *   and TensorFlow's `tf.image.resize` (bilinear, `antialias=False`), rounded
 *   to 8 bits.
 * - Grey is ITU-R 601-2 luma, `L = R * 299/1000 + G * 587/1000 + B * 114/1000`,
 *   in the fixed-point form of Pillow's `convert("L")`, so it equals Pillow's.
 *
 * ```ts
 * import { parseImageSize, resizeBilinear, toGrey } from "./pictures.ts";
 * const size = parseImageSize("32x32");
 * const picture = { width: 2, height: 1, channels: 3 as const, pixels: Uint8Array.of(255, 0, 0, 0, 0, 255) };
 * const small = toGrey(resizeBilinear(picture, size));
 * ```
 *
 * @module
 */
import type { Picture } from "../io/image.ts";
import { UserError } from "../errors.ts";

/** A picture size in pixels. */
export interface ImageSize {
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
}

/**
 * Parses `--image-size` text such as `32x32` (height x width, each 1-4096).
 *
 * @example
 * ```ts
 * import { parseImageSize } from "./pictures.ts";
 * parseImageSize("24x32"); // { height: 24, width: 32 }
 * ```
 */
export function parseImageSize(text: string): ImageSize {
  const m = text.trim().match(/^(\d+)\s*[xX]\s*(\d+)$/);
  const [height, width] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!(height >= 1 && height <= 4096 && width >= 1 && width <= 4096)) {
    throw new UserError(
      `--image-size ${text}: expected HxW (height x width in pixels), e.g. 32x32`,
    );
  }
  return { height, width };
}

/**
 * `picture` resized to `size` by bilinear interpolation with half-pixel
 * centres (see the module doc); the same picture when it has that size.
 *
 * @example
 * ```ts
 * import { resizeBilinear } from "./pictures.ts";
 * const p = { width: 2, height: 1, channels: 1 as const, pixels: Uint8Array.of(0, 200) };
 * resizeBilinear(p, { height: 1, width: 4 }).pixels; // Uint8Array [0, 50, 150, 200]
 * ```
 */
export function resizeBilinear(picture: Picture, size: ImageSize): Picture {
  const { width: w0, height: h0, channels: c, pixels: src } = picture;
  const { width, height } = size;
  if (width === w0 && height === h0) return picture;
  const axis = (n: number, n0: number) => {
    const lo = new Int32Array(n), hi = new Int32Array(n), t = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const x = Math.max(0, ((i + 0.5) * n0) / n - 0.5);
      lo[i] = Math.min(Math.floor(x), n0 - 1);
      hi[i] = Math.min(lo[i] + 1, n0 - 1);
      t[i] = x - lo[i];
    }
    return { lo, hi, t };
  };
  const ys = axis(height, h0), xs = axis(width, w0);
  const pixels = new Uint8Array(height * width * c);
  for (let y = 0; y < height; y++) {
    const r0 = ys.lo[y] * w0, r1 = ys.hi[y] * w0, ty = ys.t[y];
    for (let x = 0; x < width; x++) {
      const x0 = xs.lo[x], x1 = xs.hi[x], tx = xs.t[x];
      for (let k = 0; k < c; k++) {
        const top = src[(r0 + x0) * c + k] * (1 - tx) + src[(r0 + x1) * c + k] * tx;
        const bottom = src[(r1 + x0) * c + k] * (1 - tx) + src[(r1 + x1) * c + k] * tx;
        pixels[(y * width + x) * c + k] = Math.round(top * (1 - ty) + bottom * ty);
      }
    }
  }
  return { width, height, channels: c, pixels };
}

/**
 * `picture` as one grey channel (ITU-R 601-2 luma, as Pillow's
 * `convert("L")`); a grey picture as it is.
 *
 * @example
 * ```ts
 * import { toGrey } from "./pictures.ts";
 * toGrey({ width: 1, height: 1, channels: 3, pixels: Uint8Array.of(255, 0, 0) }).pixels; // [76]
 * ```
 */
export function toGrey(picture: Picture): Picture {
  if (picture.channels === 1) return picture;
  const p = picture.pixels;
  const grey = new Uint8Array(p.length / 3);
  for (let i = 0; i < grey.length; i++) {
    grey[i] = (p[3 * i] * 19595 + p[3 * i + 1] * 38470 + p[3 * i + 2] * 7471 + 0x8000) >> 16;
  }
  return { ...picture, channels: 1, pixels: grey };
}

/**
 * `picture` with three channels (a grey one's value repeated), for a dataset
 * that mixes grey and colour pictures.
 *
 * @example
 * ```ts
 * import { toRgb } from "./pictures.ts";
 * toRgb({ width: 1, height: 1, channels: 1, pixels: Uint8Array.of(9) }).pixels; // [9, 9, 9]
 * ```
 */
export function toRgb(picture: Picture): Picture {
  if (picture.channels === 3) return picture;
  const p = picture.pixels;
  const rgb = new Uint8Array(p.length * 3);
  for (let i = 0; i < p.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = p[i];
  return { ...picture, channels: 3, pixels: rgb };
}
