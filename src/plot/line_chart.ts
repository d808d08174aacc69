/**
 * Line charts as PNG: loss curves and any other metric over epochs or steps.
 *
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * const png = lineChart([{ name: "train", x: [1, 2, 3], y: [0.3, 0.2, 0.15] }], { title: "loss" });
 * ```
 *
 * @module
 */
import { Canvas, type Rgb, TAB10, textWidth } from "./canvas.ts";

/** One line of a chart. */
export interface Series {
  name: string;
  x: number[];
  y: number[];
  color?: Rgb;
  /** Shade the area between this line and these values (one per x), e.g. an error band (default none). */
  fillTo?: number[];
}

/** Options for {@linkcode lineChart}. */
export interface LineChartOptions {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Pixel size (default 640 x 400). */
  width?: number;
  height?: number;
}

/** Where on a canvas {@linkcode drawLineChart} draws: the box's top-left corner and size. */
export interface ChartBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Number(t.toPrecision(12)));
  }
  return out;
}

function label(v: number): string {
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0)
    ? v.toExponential(1)
    : String(Number(v.toPrecision(4)));
}

/**
 * Draws the series on shared axes with tick labels and a legend; returns PNG bytes.
 *
 * @example
 * ```ts
 * import { lineChart } from "./line_chart.ts";
 * const series = [{ name: "train", x: [1, 2, 3], y: [0.3, 0.2, 0.15] }];
 * await Deno.writeFile("loss.png", lineChart(series, { xLabel: "epoch", yLabel: "BCE" }));
 * ```
 */
export function lineChart(series: Series[], options: LineChartOptions = {}): Uint8Array {
  const { width = 640, height = 400 } = options;
  const c = new Canvas(width, height);
  drawLineChart(c, series, { ...options, x: 0, y: 0, width, height });
  return c.toPng();
}

/**
 * Draws the chart of {@linkcode lineChart} into `box` of `c`, so that
 * several charts share one figure.
 *
 * @example
 * ```ts
 * import { Canvas } from "./canvas.ts";
 * import { drawLineChart } from "./line_chart.ts";
 * const c = new Canvas(640, 200);
 * for (const [k, y] of [[0.3, 0.2], [0.5, 0.1]].entries()) {
 *   drawLineChart(c, [{ name: "loss", x: [1, 2], y }], { x: 320 * k, y: 0, width: 320, height: 200 });
 * }
 * ```
 */
export function drawLineChart(
  c: Canvas,
  series: Series[],
  options: Omit<LineChartOptions, "width" | "height"> & ChartBox,
): void {
  const { title = "", xLabel = "", yLabel = "" } = options;
  const { x: bx, y: by } = options;
  const left = bx + 64, right = c.width - (bx + options.width) + 16;
  const top = by + 32, bottom = c.height - (by + options.height) + 44;
  const [width, height] = [c.width, c.height];
  const pts = series.flatMap((s) =>
    s.x.flatMap((x, i) => [[x, s.y[i]], ...(s.fillTo ? [[x, s.fillTo[i]]] : [])])
  ).filter(([, y]) => Number.isFinite(y));
  const xs = pts.map((p) => p[0]), ys = pts.map((p) => p[1]);
  let [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!pts.length) [x0, x1, y0, y1] = [0, 1, 0, 1];
  if (x0 === x1) [x0, x1] = [x0 - 1, x1 + 1];
  const pad = (y1 - y0) * 0.05 || Math.abs(y0) * 0.05 || 1;
  [y0, y1] = [y0 - pad, y1 + pad];
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * (width - left - right);
  const py = (y: number) => height - bottom - ((y - y0) / (y1 - y0)) * (height - top - bottom);
  const axis: Rgb = [60, 60, 60], grid: Rgb = [225, 225, 225];
  for (const t of ticks(y0, y1)) {
    c.line(left, py(t), width - right, py(t), grid);
    const s = label(t);
    c.text(left - 6 - textWidth(s), py(t) - 3, s, axis);
  }
  for (const t of ticks(x0, x1)) {
    c.line(px(t), top, px(t), height - bottom, grid);
    const s = label(t);
    c.text(px(t) - textWidth(s) / 2, height - bottom + 6, s, axis);
  }
  c.line(left, top, left, height - bottom, axis);
  c.line(left, height - bottom, width - right, height - bottom, axis);
  const mid = bx + options.width / 2;
  c.text(mid - textWidth(title, 2) / 2, by + 8, title, [0, 0, 0], 2);
  c.text(mid - textWidth(xLabel) / 2, height - bottom + 28, xLabel, axis);
  c.text(bx + 4, top - 14, yLabel, axis);
  series.forEach((s, k) => {
    const color = s.color ?? TAB10[k % TAB10.length];
    if (!s.fillTo) return;
    // One vertical stroke per pixel column, between the line and fillTo, linearly interpolated.
    for (let i = 1; i < s.x.length; i++) {
      const [xa, xb] = [px(s.x[i - 1]), px(s.x[i])];
      for (let col = Math.ceil(xa); col <= xb; col++) {
        const t = xb > xa ? (col - xa) / (xb - xa) : 0;
        const lerp = (v: number[]) => v[i - 1] + t * (v[i] - v[i - 1]);
        const [ya, yb] = [py(lerp(s.y)), py(lerp(s.fillTo))];
        for (let row = Math.round(Math.min(ya, yb)); row <= Math.max(ya, yb); row++) {
          c.plot(col, row, color, 0.25);
        }
      }
    }
  });
  series.forEach((s, k) => {
    const color = s.color ?? TAB10[k % TAB10.length];
    for (let i = 1; i < s.x.length; i++) {
      c.line(px(s.x[i - 1]), py(s.y[i - 1]), px(s.x[i]), py(s.y[i]), color, 2);
    }
    for (let i = 0; i < s.x.length; i++) {
      if (s.x.length < 60) c.dot(px(s.x[i]), py(s.y[i]), 2.5, color);
    }
    const lx = width - right - 110, ly = top + 6 + 14 * k;
    c.rect(lx, ly + 2, 14, 3, color);
    c.text(lx + 20, ly, s.name, [0, 0, 0]);
  });
}
