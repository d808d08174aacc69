/**
 * Ranking and threshold metrics of a detector, positive class = anomalies,
 * computed as scikit-learn computes them: `roc_curve`, `roc_auc_score`,
 * `precision_recall_curve` and `average_precision_score` walk the distinct
 * scores from the highest down, so tied scores move together (a tie between
 * a normal and an anomalous sample counts half in the AUC).
 *
 * ```ts
 * import { averagePrecision, rocAuc } from "./metrics.ts";
 * const labels = Uint8Array.of(0, 0, 1, 1);
 * const scores = Float32Array.of(0.1, 0.4, 0.35, 0.8);
 * rocAuc(labels, scores); // 0.75, as sklearn.metrics.roc_auc_score
 * averagePrecision(labels, scores); // 0.8333..., as sklearn.metrics.average_precision_score
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** Counts of true/false positives at each distinct score, from the highest down. */
interface Steps {
  /** Anomalies scored at or above each threshold. */
  tps: number[];
  /** Normal samples scored at or above each threshold. */
  fps: number[];
  /** The distinct scores, descending. */
  thresholds: number[];
}

function steps(labels: ArrayLike<number>, scores: ArrayLike<number>): Steps {
  if (labels.length !== scores.length) {
    throw new UserError(`${labels.length} labels for ${scores.length} scores`);
  }
  const order = Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a]);
  const tps: number[] = [], fps: number[] = [], thresholds: number[] = [];
  let tp = 0, fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (Number.isNaN(scores[i])) throw new UserError(`score ${i} is NaN`);
    if (labels[i]) tp++;
    else fp++;
    if (k === order.length - 1 || scores[order[k + 1]] !== scores[i]) {
      tps.push(tp);
      fps.push(fp);
      thresholds.push(scores[i]);
    }
  }
  return { tps, fps, thresholds };
}

function needBothClasses(s: Steps, what: string): void {
  const p = s.tps.at(-1) ?? 0, n = s.fps.at(-1) ?? 0;
  if (p === 0 || n === 0) {
    throw new UserError(
      `${what} needs normal and anomalous samples; the labels hold ${p} anomalies and ${n} normal`,
    );
  }
}

/** A ROC curve: false and true positive rates at each threshold, from (0, 0). */
export interface RocCurve {
  /** False positive rates (normal samples flagged), ascending, starting at 0. */
  fpr: number[];
  /** True positive rates (anomalies flagged). */
  tpr: number[];
  /** Score thresholds, descending; the first is +Infinity (nothing flagged), as sklearn >= 1.3. */
  thresholds: number[];
}

/**
 * The ROC curve of `scores` against `labels` (1 = anomaly), as
 * `sklearn.metrics.roc_curve(..., drop_intermediate=False)`.
 *
 * @example
 * ```ts
 * const { fpr, tpr } = rocCurve(Uint8Array.of(0, 1), Float32Array.of(0.2, 0.9));
 * // fpr [0, 0, 1], tpr [0, 1, 1]
 * ```
 */
export function rocCurve(labels: ArrayLike<number>, scores: ArrayLike<number>): RocCurve {
  const s = steps(labels, scores);
  needBothClasses(s, "a ROC curve");
  const p = s.tps.at(-1)!, n = s.fps.at(-1)!;
  return {
    fpr: [0, ...s.fps.map((f) => f / n)],
    tpr: [0, ...s.tps.map((t) => t / p)],
    thresholds: [Infinity, ...s.thresholds],
  };
}

/**
 * Area under the ROC curve by the trapezoidal rule, as
 * `sklearn.metrics.roc_auc_score` (1 = anomaly is the positive class).
 *
 * @example
 * ```ts
 * rocAuc(Uint8Array.of(0, 1, 0, 1), Float32Array.of(1, 1, 0, 2)); // 0.875 (the tie counts half)
 * ```
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(labels, scores);
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
  return area;
}

/** A precision-recall curve, as sklearn returns it: recall descending, ending at (recall 0, precision 1). */
export interface PrCurve {
  /** Precision at each threshold, then 1. */
  precision: number[];
  /** Recall at each threshold, then 0. */
  recall: number[];
  /** Every distinct score, ascending. */
  thresholds: number[];
}

/**
 * The precision-recall curve, as `sklearn.metrics.precision_recall_curve`
 * (scikit-learn >= 1.1 keeps the thresholds below the first at full recall).
 *
 * @example
 * ```ts
 * const { precision, recall } = precisionRecallCurve(Uint8Array.of(0, 1), Float32Array.of(0.2, 0.9));
 * // precision [0.5, 1, 1], recall [1, 1, 0]
 * ```
 */
export function precisionRecallCurve(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
): PrCurve {
  const s = steps(labels, scores);
  needBothClasses(s, "a precision-recall curve");
  const p = s.tps.at(-1)!;
  const last = s.tps.length - 1;
  const precision: number[] = [], recall: number[] = [], thresholds: number[] = [];
  for (let i = last; i >= 0; i--) {
    precision.push(s.tps[i] / (s.tps[i] + s.fps[i]));
    recall.push(s.tps[i] / p);
    thresholds.push(s.thresholds[i]);
  }
  return { precision: [...precision, 1], recall: [...recall, 0], thresholds };
}

/**
 * Average precision, sum over thresholds of (R_k - R_k-1) * P_k with no
 * interpolation, as `sklearn.metrics.average_precision_score`.
 *
 * @example
 * ```ts
 * averagePrecision(Uint8Array.of(0, 1, 0, 1), Float32Array.of(1, 1, 0, 2)); // 0.8333...
 * ```
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const { precision, recall } = precisionRecallCurve(labels, scores);
  let ap = 0;
  for (let i = 0; i < recall.length - 1; i++) ap += (recall[i] - recall[i + 1]) * precision[i];
  return ap;
}

/** Counts and rates at one threshold, positive class = anomalies. */
export interface ThresholdMetrics {
  /** Anomalies flagged. */
  tp: number;
  /** Normal samples flagged. */
  fp: number;
  /** Normal samples not flagged. */
  tn: number;
  /** Anomalies missed. */
  fn: number;
  /** tp / (tp + fp), 0 when nothing is flagged (sklearn's zero_division=0). */
  precision: number;
  /** tp / (tp + fn). */
  recall: number;
  /** Harmonic mean of precision and recall, 0 when both are. */
  f1: number;
  /** (tp + tn) / all. */
  accuracy: number;
}

/**
 * Confusion counts, precision, recall, F1 and accuracy when every score
 * strictly above `threshold` is flagged (PyOD's `predict`).
 *
 * @example
 * ```ts
 * thresholdMetrics(Uint8Array.of(0, 1, 1), Float32Array.of(0.1, 0.9, 0.2), 0.5).recall; // 0.5
 * ```
 */
export function thresholdMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
): ThresholdMetrics {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < scores.length; i++) {
    const flagged = scores[i] > threshold;
    if (labels[i]) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? 2 * precision * recall / (precision + recall) : 0;
  return { tp, fp, tn, fn, precision, recall, f1, accuracy: (tp + tn) / scores.length };
}
