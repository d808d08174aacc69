/**
 * Grids of images, grey or RGB, as PNG: reconstructions (originals over their
 * reconstructions), samples, manifolds and interpolations.
 *
 * ```ts
 * import { imageGrid } from "./image_grid.ts";
 * const originals = new Float32Array(10 * 28 * 28), recons = new Float32Array(10 * 28 * 28);
 * await Deno.writeFile(
 *   "grid.png",
 *   imageGrid([originals, recons], {
 *     height: 28,
 *     width: 28,
 *     labels: ["original", "reconstructed"],
 *   }),
 * );
 * ```
 *
 * @module
 */
import { Canvas, textWidth } from "./canvas.ts";

/** Options for {@linkcode imageGrid}. */
export interface ImageGridOptions {
  /** Image size in pixels. */
  height: number;
  width: number;
  /** Values per pixel, channels last: 1 grey, 3 RGB (default 1). */
  channels?: number;
  /** One label per row, drawn on the left (default: none). */
  labels?: string[];
  /** Upscaling of each pixel (default 3). */
  scale?: number;
  /** Map values from [-1,1] to [0,1] first (default false). */
  symmetric?: boolean;
}

/**
 * Draws `rows[r]` (each a concatenation of images, row-major) as row r of a grid; returns PNG bytes.
 *
 * @example
 * ```ts
 * const png = imageGrid([new Float32Array(784 * 10)], { height: 28, width: 28 });
 * const rgb = imageGrid([new Float32Array(32 * 32 * 3 * 4)], { height: 32, width: 32, channels: 3 });
 * ```
 */
export function imageGrid(rows: Float32Array[], options: ImageGridOptions): Uint8Array {
  const { height, width, channels = 1, labels = [], scale = 3, symmetric = false } = options;
  const pixels = height * width * channels, gap = 2;
  const cols = Math.max(...rows.map((r) => r.length / pixels));
  const margin = labels.length ? Math.max(...labels.map((l) => textWidth(l))) + 12 : gap;
  const cw = width * scale, ch = height * scale;
  const canvas = new Canvas(margin + cols * (cw + gap), rows.length * (ch + gap) + gap);
  rows.forEach((row, r) => {
    const y = gap + r * (ch + gap);
    if (labels[r]) canvas.text(6, y + ch / 2 - 3, labels[r], [0, 0, 0]);
    for (let i = 0; i < row.length / pixels; i++) {
      let img: ArrayLike<number> = row.subarray(i * pixels, (i + 1) * pixels);
      if (symmetric) img = Float32Array.from(img, (v) => (v + 1) / 2);
      canvas.image(margin + i * (cw + gap), y, img, width, height, scale, channels);
    }
  });
  return canvas.toPng();
}
