/**
 * The figures of a detection: the score histograms of normal and anomalous
 * samples with the threshold, the ROC and precision-recall curves, and the
 * most anomalous inputs over their reconstructions.
 *
 * ```ts
 * import { scoreHistogram } from "./figures.ts";
 * const png = scoreHistogram(Float32Array.of(0.1, 0.2, 0.9), { threshold: 0.5, anomalies: Uint8Array.of(0, 0, 1) });
 * ```
 *
 * @module
 */
import { lineChart, type Series } from "../plot/line_chart.ts";
import { type SampleLayout, samplesFigure } from "../plot/samples_figure.ts";
import type { PrCurve, RocCurve } from "./metrics.ts";

/** Options for {@linkcode scoreHistogram}. */
export interface ScoreHistogramOptions {
  /** Drawn as a vertical line. */
  threshold: number;
  /** 1 = anomaly per sample; without it, one histogram of all scores. */
  anomalies?: Uint8Array;
  /** Number of bins (default 50). */
  bins?: number;
  /** Chart title (default "anomaly scores"). */
  title?: string;
  /** Name of the score, for the x axis (default "score"). */
  score?: string;
}

/**
 * Histograms (as densities, so groups of any size compare) of the normal and
 * anomalous samples' scores, with the threshold; returns PNG bytes. The range
 * stops at the 99.5th percentile so a few huge scores do not squash the rest.
 *
 * @example
 * ```ts
 * const png = scoreHistogram(Float32Array.of(1, 2, 3), { threshold: 2.5 });
 * ```
 */
export function scoreHistogram(scores: Float32Array, options: ScoreHistogramOptions): Uint8Array {
  const { threshold, anomalies, bins = 50, title = "anomaly scores", score = "score" } = options;
  const sorted = Float32Array.from(scores).sort();
  const lo = sorted[0] ?? 0;
  const hi = Math.max(sorted[Math.floor(0.995 * (sorted.length - 1))] ?? 1, threshold, lo + 1e-12);
  const width = (hi - lo) / bins;
  const groups = anomalies
    ? [{ name: "normal", pick: 0 }, { name: "anomalous", pick: 1 }]
    : [{ name: "all", pick: -1 }];
  const series: Series[] = groups.map(({ name, pick }) => {
    const counts = new Float64Array(bins);
    let n = 0;
    scores.forEach((s, i) => {
      if (pick >= 0 && anomalies![i] !== pick) return;
      n++;
      if (s <= hi) counts[Math.min(bins - 1, Math.floor((s - lo) / width))]++;
    });
    // Steps: each bin's density held flat over its width.
    const x: number[] = [], y: number[] = [];
    counts.forEach((c, b) => {
      const d = n ? c / (n * width) : 0;
      x.push(lo + b * width, lo + (b + 1) * width);
      y.push(d, d);
    });
    return { name, x, y };
  });
  const top = Math.max(...series.flatMap((s) => s.y));
  series.push({ name: "threshold", x: [threshold, threshold], y: [0, top], color: [0, 0, 0] });
  return lineChart(series, { title, xLabel: score, yLabel: "density" });
}

/**
 * The ROC curve with the chance diagonal; returns PNG bytes.
 *
 * @example
 * ```ts
 * const png = rocFigure({ fpr: [0, 0, 1], tpr: [0, 1, 1], thresholds: [Infinity, 2, 1] }, 1);
 * ```
 */
export function rocFigure(curve: RocCurve, auc: number): Uint8Array {
  return lineChart([
    { name: `ROC (AUC ${auc.toFixed(4)})`, x: curve.fpr, y: curve.tpr },
    { name: "chance", x: [0, 1], y: [0, 1], color: [170, 170, 170] },
  ], {
    title: `ROC curve, AUC ${auc.toFixed(4)}`,
    xLabel: "false positive rate (normal flagged)",
    yLabel: "true positive rate",
  });
}

/**
 * The precision-recall curve with the anomalies' share (chance); returns PNG bytes.
 *
 * @example
 * ```ts
 * const png = prFigure({ precision: [1, 1], recall: [1, 0], thresholds: [2] }, 1, 0.5);
 * ```
 */
export function prFigure(curve: PrCurve, ap: number, prevalence: number): Uint8Array {
  return lineChart([
    { name: `PR (AP ${ap.toFixed(4)})`, x: curve.recall, y: curve.precision },
    { name: "chance", x: [0, 1], y: [prevalence, prevalence], color: [170, 170, 170] },
  ], {
    title: `precision-recall, AP ${ap.toFixed(4)}`,
    xLabel: "recall (anomalies flagged)",
    yLabel: "precision",
  });
}

/** Options for {@linkcode topAnomaliesFigure}: the samples' layout, and how to draw them. */
export interface TopAnomaliesOptions extends SampleLayout {
  /** Inputs in [-1, 1] (default false: [0, 1]). */
  symmetric?: boolean;
  /** A title per sample for tables' line plots, e.g. its index, score and class (default `sample i`). */
  titles?: string[];
}

/**
 * The given inputs (most anomalous first) over their reconstructions: an
 * image grid (grey or RGB), or for table rows one line plot per sample;
 * returns PNG bytes.
 *
 * @example
 * ```ts
 * const png = topAnomaliesFigure(new Float32Array(784), new Float32Array(784), { height: 28, width: 28 });
 * ```
 */
export function topAnomaliesFigure(
  inputs: Float32Array,
  reconstructions: Float32Array,
  options: TopAnomaliesOptions,
): Uint8Array {
  const table = options.kind === "table";
  return samplesFigure([inputs, reconstructions], options, {
    names: table ? ["input", "reconstruction"] : ["most anomalous", "reconstructed"],
    symmetric: options.symmetric,
    titles: options.titles,
  });
}

/**
 * Indices of the `k` highest scores, highest first (ties by index).
 *
 * @example
 * ```ts
 * topK(Float32Array.of(0.1, 0.9, 0.5), 2); // [1, 2]
 * ```
 */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  return Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || a - b).slice(0, k);
}
