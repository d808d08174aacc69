/**
 * Samples over their reconstructions in the form the data calls for: an
 * image grid (grey or RGB) for images, line plots of each row for tables.
 * Training's `reconstructions.png` and detection's `anomalies.png` draw
 * through it.
 *
 * ```ts
 * import { samplesFigure } from "./samples_figure.ts";
 * const inputs = new Float32Array(4 * 20), recons = new Float32Array(4 * 20);
 * const png = samplesFigure([inputs, recons], { height: 1, width: 20, channels: 1, kind: "table" }, {
 *   names: ["input", "reconstruction"],
 * });
 * ```
 *
 * @module
 */
import { imageGrid } from "./image_grid.ts";
import { rowPlots } from "./row_plots.ts";

/** The shape of the samples: images of height x width x channels, or table rows. */
export interface SampleLayout {
  height: number;
  width: number;
  /** Values per pixel (default 1). */
  channels?: number;
  /** `table` rows are drawn as line plots (default `image`). */
  kind?: "image" | "table";
}

/** Options for {@linkcode samplesFigure}. */
export interface SamplesFigureOptions {
  /** What each array is, e.g. `original`, `reconstructed` (row labels, or the plots' legend). */
  names: string[];
  /** Images in [-1, 1] rather than [0, 1] (default false). */
  symmetric?: boolean;
  /** A title per sample for the line plots (default `sample i`). */
  titles?: string[];
}

/**
 * `rows[k]` holds the same samples for every k (inputs, reconstructions,
 * ...): an image grid with one row per array for images, one line-plot
 * panel per sample for tables. Returns PNG bytes.
 *
 * @example
 * ```ts
 * import { samplesFigure } from "./samples_figure.ts";
 * const png = samplesFigure([new Float32Array(3 * 32 * 32 * 2)], { height: 32, width: 32, channels: 3 }, {
 *   names: ["original"],
 * });
 * ```
 */
export function samplesFigure(
  rows: Float32Array[],
  layout: SampleLayout,
  options: SamplesFigureOptions,
): Uint8Array {
  const { height, width, channels = 1 } = layout;
  if (layout.kind === "table") {
    return rowPlots(rows, {
      features: height * width * channels,
      names: options.names,
      titles: options.titles,
    });
  }
  return imageGrid(rows, {
    height,
    width,
    channels,
    labels: options.names,
    symmetric: options.symmetric,
  });
}
