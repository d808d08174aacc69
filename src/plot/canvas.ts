/**
 * A small RGBA raster canvas for the project's PNG figures: rectangles, lines,
 * dots, greyscale image tiles and 5x7 bitmap text.
 *
 * ```ts
 * import { Canvas } from "./canvas.ts";
 * const c = new Canvas(200, 100);
 * c.line(10, 90, 190, 10, [200, 30, 30]);
 * c.text(10, 10, "loss", [0, 0, 0]);
 * await Deno.writeFile("figure.png", c.toPng());
 * ```
 *
 * @module
 */
import { encodePng } from "../io/png.ts";
import { GLYPHS } from "./_font.ts";

/** An RGB colour, 0-255 per channel. */
export type Rgb = readonly [number, number, number];

/** Ten distinguishable colours (matplotlib's tab10), for classes 0-9. */
export const TAB10: readonly Rgb[] = [
  [31, 119, 180],
  [255, 127, 14],
  [44, 160, 44],
  [214, 39, 40],
  [148, 103, 189],
  [140, 86, 75],
  [227, 119, 194],
  [127, 127, 127],
  [188, 189, 34],
  [23, 190, 207],
];

/** An RGBA pixel buffer with a white, opaque background. */
export class Canvas {
  readonly pixels: Uint8Array;
  constructor(readonly width: number, readonly height: number) {
    this.pixels = new Uint8Array(width * height * 4).fill(255);
  }

  /** Blends `rgb` over pixel (x, y) with opacity `alpha`; off-canvas pixels are ignored. */
  plot(x: number, y: number, rgb: Rgb, alpha = 1): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const o = (y * this.width + x) * 4;
    for (let c = 0; c < 3; c++) {
      this.pixels[o + c] = this.pixels[o + c] * (1 - alpha) + rgb[c] * alpha;
    }
  }

  /** Fills the rectangle with top-left (x, y). */
  rect(x: number, y: number, w: number, h: number, rgb: Rgb, alpha = 1): void {
    for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) this.plot(x + i, y + j, rgb, alpha);
  }

  /** A straight line, `width` pixels thick. */
  line(x0: number, y0: number, x1: number, y1: number, rgb: Rgb, width = 1): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const r = (width - 1) / 2;
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps, y = y0 + ((y1 - y0) * s) / steps;
      if (r <= 0) this.plot(x, y, rgb);
      else this.rect(Math.round(x - r), Math.round(y - r), width, width, rgb);
    }
  }

  /** A filled disc of radius `r`. */
  dot(cx: number, cy: number, r: number, rgb: Rgb, alpha = 1): void {
    for (let dy = -Math.ceil(r); dy <= r; dy++) {
      for (let dx = -Math.ceil(r); dx <= r; dx++) {
        if (dx * dx + dy * dy <= r * r) this.plot(cx + dx, cy + dy, rgb, alpha);
      }
    }
  }

  /**
   * Draws an image (values in [0,1], row-major `w` x `h` x `channels`,
   * channels last: 1 grey, 3 RGB) scaled by `scale`.
   */
  image(
    x: number,
    y: number,
    values: ArrayLike<number>,
    w: number,
    h: number,
    scale = 1,
    channels = 1,
  ): void {
    const byte = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
    for (let j = 0; j < h; j++) {
      for (let i = 0; i < w; i++) {
        const at = (j * w + i) * channels;
        const v = byte(values[at]);
        const rgb: Rgb = channels === 3
          ? [v, byte(values[at + 1]), byte(values[at + 2])]
          : [v, v, v];
        this.rect(x + i * scale, y + j * scale, scale, scale, rgb);
      }
    }
  }

  /** Writes `s` with its top-left at (x, y); `size` scales the 5x7 glyphs. Returns the width drawn. */
  text(x: number, y: number, s: string, rgb: Rgb, size = 1): number {
    let cx = x;
    for (const ch of s) {
      const glyph = GLYPHS[ch] ?? GLYPHS[ch.toUpperCase()] ?? GLYPHS[" "];
      for (let row = 0; row < 7; row++) {
        for (let col = 0; col < 5; col++) {
          if (glyph[row] & (16 >> col)) this.rect(cx + col * size, y + row * size, size, size, rgb);
        }
      }
      cx += 6 * size;
    }
    return cx - x;
  }

  /** The canvas as PNG bytes. */
  toPng(): Uint8Array {
    return encodePng(this.pixels, { width: this.width, height: this.height });
  }
}

/** Width in pixels of `s` drawn by {@linkcode Canvas.text} at `size`. */
export function textWidth(s: string, size = 1): number {
  return [...s].length * 6 * size;
}
