/**
 * Rows of a table (or any 1-D samples) against their reconstructions, as
 * line plots: one panel per sample with the input, the reconstruction and
 * the error between them shaded, as the TensorFlow autoencoder tutorial
 * draws its ECGs. What `reconstructions.png` and the anomaly figure are for
 * tables, where an image grid would mean nothing.
 *
 * ```ts
 * import { rowPlots } from "./row_plots.ts";
 * const inputs = Float32Array.from({ length: 4 * 20 }, (_, i) => Math.sin(i / 3));
 * const recons = inputs.map((v) => 0.9 * v);
 * await Deno.writeFile("rows.png", rowPlots([inputs, recons], { features: 20 }));
 * ```
 *
 * @module
 */
import { Canvas, type Rgb } from "./canvas.ts";
import { drawLineChart, type Series } from "./line_chart.ts";

/** Options for {@linkcode rowPlots}. */
export interface RowPlotsOptions {
  /** Values per sample (the table's features). */
  features: number;
  /** What each of the given arrays is (default `input`, `reconstruction`; a third `noisy` and so on). */
  names?: string[];
  /** A title per panel, e.g. the sample's index and class (default `sample i`). */
  titles?: string[];
  /** Panels per row (default 2). */
  columns?: number;
  /** Size of one panel in pixels (default 420 x 240). */
  panelWidth?: number;
  panelHeight?: number;
}

const INPUT: Rgb = [31, 119, 180],
  RECONSTRUCTION: Rgb = [214, 39, 40],
  OTHER: Rgb = [127, 127, 127];

/**
 * One panel per sample: the first array's row (`input`), the last's
 * (`reconstruction`) with the error between them shaded, and any arrays in
 * between (e.g. the noisy input) in grey; returns PNG bytes. Every array
 * holds the same samples, `features` values each.
 *
 * @example
 * ```ts
 * import { rowPlots } from "./row_plots.ts";
 * const png = rowPlots([Float32Array.of(0, 1, 0), Float32Array.of(0.1, 0.8, 0)], {
 *   features: 3,
 *   titles: ["sample 0 (normal)"],
 * });
 * ```
 */
export function rowPlots(rows: Float32Array[], options: RowPlotsOptions): Uint8Array {
  const { features, columns = 2, panelWidth = 420, panelHeight = 240 } = options;
  const names = options.names ?? ["input", ...rows.slice(2).map(() => "noisy"), "reconstruction"];
  const count = rows[0].length / features;
  const cols = Math.min(columns, Math.max(1, count));
  const canvas = new Canvas(cols * panelWidth, Math.ceil(count / cols) * panelHeight);
  const x = Array.from({ length: features }, (_, j) => j);
  const row = (a: Float32Array, i: number) =>
    Array.from(a.subarray(i * features, (i + 1) * features));
  for (let i = 0; i < count; i++) {
    const input = row(rows[0], i), output = row(rows.at(-1)!, i);
    const series: Series[] = [
      { name: names[0], x, y: input, color: INPUT },
      ...rows.slice(1, -1).map((a, k) => ({ name: names[k + 1], x, y: row(a, i), color: OTHER })),
      { name: names.at(-1)!, x, y: output, color: RECONSTRUCTION, fillTo: input },
    ];
    drawLineChart(canvas, series, {
      x: (i % cols) * panelWidth,
      y: Math.floor(i / cols) * panelHeight,
      width: panelWidth,
      height: panelHeight,
      title: options.titles?.[i] ?? `sample ${i}`,
      xLabel: "feature",
    });
  }
  return canvas.toPng();
}
