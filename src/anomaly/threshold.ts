/**
 * Thresholds that turn anomaly scores into flags: mean + k standard
 * deviations of the training scores (TensorFlow's autoencoder tutorial,
 * k = 1), the (1 - P) quantile of the training scores for an expected
 * contamination P (PyOD's `contamination`), or a fixed value. A sample is
 * flagged when its score is strictly above the threshold, as PyOD's `predict`.
 *
 * ```ts
 * import { fitThreshold, parseThresholdRule } from "./threshold.ts";
 * const rule = parseThresholdRule("mean+2*std"); // { kind: "std", k: 2 }
 * const { value } = fitThreshold(Float32Array.of(1, 2, 3), rule);
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** How the threshold is chosen. */
export type ThresholdRule =
  | { kind: "std"; k: number }
  | { kind: "contamination"; p: number }
  | { kind: "value"; value: number };

/** A fitted threshold and the rule it came from. */
export interface Threshold {
  /** Scores strictly above it are flagged. */
  value: number;
  /** The rule, as `--threshold` / `--contamination` spell it. */
  rule: string;
}

/** The default rule: the mean of the training scores plus one standard deviation. */
export const DEFAULT_THRESHOLD_RULE: ThresholdRule = { kind: "std", k: 1 };

/**
 * Parses `--threshold`: `mean+k*std` (also `mean+kstd`, `mean+std`), or a
 * number, the threshold itself.
 *
 * @example
 * ```ts
 * parseThresholdRule("0.02"); // { kind: "value", value: 0.02 }
 * parseThresholdRule("mean+1.5*std"); // { kind: "std", k: 1.5 }
 * ```
 */
export function parseThresholdRule(text: string): ThresholdRule {
  const t = text.replace(/\s+/g, "");
  const std = /^mean\+(?:(\d+(?:\.\d+)?)\*?)?std$/.exec(t);
  if (std) return { kind: "std", k: std[1] === undefined ? 1 : Number(std[1]) };
  const value = Number(t);
  if (t !== "" && Number.isFinite(value)) return { kind: "value", value };
  throw new UserError(
    `--threshold ${text}: expected mean+K*std (K a non-negative number, e.g. mean+1*std) or a number`,
  );
}

/**
 * Checks `--contamination`: the expected fraction of anomalies, in (0, 0.5] as PyOD.
 *
 * @example
 * ```ts
 * contaminationRule("0.1"); // { kind: "contamination", p: 0.1 }
 * ```
 */
export function contaminationRule(text: string): ThresholdRule {
  const p = Number(text);
  if (text.trim() === "" || !(p > 0 && p <= 0.5)) {
    throw new UserError(`--contamination ${text}: expected a fraction in (0, 0.5], e.g. 0.1`);
  }
  return { kind: "contamination", p };
}

/**
 * `rule` as a command line spells it.
 *
 * @example
 * ```ts
 * describeRule({ kind: "contamination", p: 0.05 }); // "contamination 0.05"
 * ```
 */
export function describeRule(rule: ThresholdRule): string {
  if (rule.kind === "std") return `mean+${rule.k}*std`;
  if (rule.kind === "contamination") return `contamination ${rule.p}`;
  return `value ${rule.value}`;
}

/**
 * Fits `rule` to the training scores: mean + k * std (population std, as
 * numpy's default), or numpy's linearly interpolated `percentile` at
 * 100 * (1 - p), as PyOD's `threshold_`.
 *
 * @example
 * ```ts
 * fitThreshold(Float32Array.of(1, 2, 3, 4), { kind: "contamination", p: 0.25 }).value; // 3.25
 * ```
 */
export function fitThreshold(trainScores: ArrayLike<number>, rule: ThresholdRule): Threshold {
  const rule_ = describeRule(rule);
  if (rule.kind === "value") return { value: rule.value, rule: rule_ };
  const n = trainScores.length;
  if (n === 0) throw new UserError(`the rule ${rule_} needs training scores; there are none`);
  if (rule.kind === "std") {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += trainScores[i];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (trainScores[i] - mean) ** 2;
    return { value: mean + rule.k * Math.sqrt(v / n), rule: rule_ };
  }
  return { value: quantile(trainScores, 1 - rule.p), rule: rule_ };
}

/** numpy's default (linear) quantile. */
function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos), hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
