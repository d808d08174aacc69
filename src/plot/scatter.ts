/**
 * A PNG scatter plot of a 2-D embedding coloured by class, with each class's
 * label drawn at its centre (as the t-SNE figures of the seed tutorials).
 *
 * ```ts
 * import { scatterPlot } from "./scatter.ts";
 * const png = scatterPlot(new Float32Array([0, 0, 1, 1, 2, 0]), { labels: [0, 1, 1] }).toPng();
 * ```
 *
 * @module
 */
import { Canvas, type Rgb, TAB10, textWidth } from "./canvas.ts";

/** Options for {@linkcode scatterPlot}. */
export interface ScatterOptions {
  /** Class of each point (default: all 0); colours cycle through tab10. */
  labels?: ArrayLike<number>;
  /** The name of class `i`, drawn instead of its number (default: the numbers). */
  classNames?: readonly string[];
  /** Image size in pixels (default 900 x 800). */
  width?: number;
  height?: number;
  /** Title drawn at the top (default none). */
  title?: string;
  /** Dot radius in pixels (default: smaller for more points). */
  radius?: number;
}

/** Per-class point count and centre (mean position). */
export interface ClassCentre {
  label: number;
  count: number;
  x: number;
  y: number;
}

/** The mean position of each class of `points` (n x 2, interleaved), by label. */
export function classCentres(points: Float32Array, labels: ArrayLike<number>): ClassCentre[] {
  const byLabel = new Map<number, ClassCentre>();
  for (let i = 0; i < labels.length; i++) {
    const c = byLabel.get(labels[i]) ?? { label: labels[i], count: 0, x: 0, y: 0 };
    c.count++;
    c.x += points[2 * i];
    c.y += points[2 * i + 1];
    byLabel.set(labels[i], c);
  }
  return [...byLabel.values()]
    .map((c) => ({ ...c, x: c.x / c.count, y: c.y / c.count }))
    .sort((a, b) => a.label - b.label);
}

/** The name of class `label`: `classNames[label]` when there is one, else the number. */
export function className(label: number, classNames?: readonly string[]): string {
  return classNames?.[label] ?? String(label);
}

/** The colour of class `label`. */
export function classColour(label: number): Rgb {
  return TAB10[((label % TAB10.length) + TAB10.length) % TAB10.length];
}

/**
 * Draws `points` (n x 2, interleaved) as translucent dots coloured by label,
 * with the label (or its class name) in a white box at each class centre and
 * a legend.
 *
 * @example
 * ```ts
 * import { scatterPlot } from "./scatter.ts";
 * const embedding = new Float32Array([0, 0, 1, 1, 5, 5]), labels = Uint8Array.of(0, 0, 1);
 * await Deno.writeFile("tsne.png", scatterPlot(embedding, { labels, title: "t-SNE" }).toPng());
 * ```
 */
export function scatterPlot(points: Float32Array, options: ScatterOptions = {}): Canvas {
  const n = points.length / 2;
  const labels = options.labels ?? new Uint8Array(n);
  if (labels.length !== n) throw new Error(`scatterPlot: ${labels.length} labels for ${n} points`);
  const { width = 900, height = 800, title, classNames } = options;
  const radius = options.radius ?? (n > 20000 ? 1 : n > 3000 ? 1.5 : 2.5);
  const canvas = new Canvas(width, height);
  const centres = options.labels ? classCentres(points, labels) : [];
  const names = new Map(centres.map((c) => [c.label, className(c.label, classNames)]));
  const legend = Math.max(0, ...[...names.values()].map((s) => textWidth(s, 2)));
  // The legend takes what its names need, up to a third of the width.
  const right = Math.max(80, Math.min(legend + 36, Math.floor(width / 3)));
  const top = title ? 30 : 10, left = 10, bottom = 10;
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, points[2 * i]);
    x1 = Math.max(x1, points[2 * i]);
    y0 = Math.min(y0, points[2 * i + 1]);
    y1 = Math.max(y1, points[2 * i + 1]);
  }
  // One scale for both axes, so distances keep their meaning.
  const scale = Math.min(
    (width - left - right) / (x1 - x0 || 1),
    (height - top - bottom) / (y1 - y0 || 1),
  );
  const px = (x: number) => left + (x - x0) * scale;
  const py = (y: number) => height - bottom - (y - y0) * scale;
  const alpha = n > 20000 ? 0.35 : 0.6;
  for (let i = 0; i < n; i++) {
    canvas.dot(px(points[2 * i]), py(points[2 * i + 1]), radius, classColour(labels[i]), alpha);
  }
  for (const c of centres) {
    const text = names.get(c.label)!, size = text.length > 3 ? 2 : 3;
    const w = textWidth(text, size), h = 7 * size;
    const x = Math.round(px(c.x) - w / 2), y = Math.round(py(c.y) - h / 2);
    canvas.rect(x - 4, y - 4, w + 8, h + 8, [255, 255, 255], 0.7);
    canvas.text(x, y, text, [0, 0, 0], size);
  }
  if (title) canvas.text(left, 8, title, [0, 0, 0], 2);
  centres.forEach((c, row) => {
    const y = top + 10 + row * 20;
    canvas.dot(width - right + 16, y + 7, 5, classColour(c.label));
    canvas.text(width - right + 28, y + 1, names.get(c.label)!, [0, 0, 0], 2);
  });
  return canvas;
}
