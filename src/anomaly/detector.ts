/**
 * One detector API in the shape of PyOD's: a trained autoencoder is fitted
 * to the training scores (`fit` sets the threshold from them), then
 * `scores` (PyOD's `decision_function`) and `predict` (1 = anomaly) apply
 * to new data.
 *
 * ```ts
 * import { AnomalyDetector } from "./detector.ts";
 * import { loadRun } from "../inference/load_run.ts";
 * import { loadMnist } from "../data/mnist.ts";
 * import { floatImages } from "../data/dataset.ts";
 * const run = await loadRun("runs/conv-3");
 * const { train, test } = await loadMnist({ scale: run.config.scale, trainClasses: [3] });
 * const detector = new AnomalyDetector(run.autoencoder, {
 *   threshold: { kind: "contamination", p: 0.05 },
 * }).fit(floatImages(train));
 * const flags = detector.predict(floatImages(test)); // 1 where the score exceeds detector.threshold.value
 * ```
 *
 * @module
 */
import type { Autoencoder, PixelScale } from "../models/model.ts";
import { anomalyScores, type ScoreName } from "./scores.ts";
import {
  DEFAULT_THRESHOLD_RULE,
  fitThreshold,
  type Threshold,
  type ThresholdRule,
} from "./threshold.ts";

/** Options for {@linkcode AnomalyDetector}. */
export interface AnomalyDetectorOptions {
  /** Per-sample score (default `mse`). */
  score?: ScoreName;
  /** How the threshold is fitted (default mean + 1 std of the training scores). */
  threshold?: ThresholdRule;
  /** Pixel range the model was trained on (default `unit`). */
  scale?: PixelScale;
  /** Samples per forward pass (default 1000). */
  batchSize?: number;
}

/** An autoencoder as an anomaly detector: scores, a fitted threshold, flags. */
export class AnomalyDetector {
  /** The per-sample score. */
  readonly score: ScoreName;
  /** The rule the threshold is fitted with. */
  readonly rule: ThresholdRule;
  #threshold?: Threshold;
  #trainScores?: Float32Array;

  /**
   * Wraps a trained autoencoder; call {@linkcode AnomalyDetector.fit} before
   * `predict` (a fixed-value rule needs no fitting).
   *
   * @example
   * ```ts
   * // new AnomalyDetector(ae, { score: "bce", threshold: { kind: "value", value: 0.2 } });
   * ```
   */
  constructor(readonly autoencoder: Autoencoder, readonly options: AnomalyDetectorOptions = {}) {
    this.score = options.score ?? "mse";
    this.rule = options.threshold ?? DEFAULT_THRESHOLD_RULE;
    if (this.rule.kind === "value") this.#threshold = fitThreshold([], this.rule);
  }

  /** Scores the training data and fits the threshold to them (PyOD's `decision_scores_`, `threshold_`). */
  fit(trainImages: Float32Array): this {
    this.#trainScores = this.scores(trainImages);
    this.#threshold = fitThreshold(this.#trainScores, this.rule);
    return this;
  }

  /** The anomaly score of each sample; higher is more anomalous (PyOD's `decision_function`). */
  scores(images: Float32Array): Float32Array {
    return anomalyScores(this.autoencoder, images, {
      score: this.score,
      scale: this.options.scale,
      batchSize: this.options.batchSize,
    });
  }

  /** The fitted threshold and its rule. */
  get threshold(): Threshold {
    if (!this.#threshold) throw new Error("call fit() before using the threshold");
    return this.#threshold;
  }

  /** The training scores seen by `fit` (empty before it). */
  get trainScores(): Float32Array {
    return this.#trainScores ?? new Float32Array(0);
  }

  /** 1 for each sample whose score is above the threshold, else 0 (PyOD's `predict`). */
  predict(images: Float32Array): Uint8Array {
    return flag(this.scores(images), this.threshold.value);
  }
}

/**
 * 1 where `scores` exceed `threshold`, else 0.
 *
 * @example
 * ```ts
 * flag(Float32Array.of(0.1, 0.5), 0.2); // Uint8Array [0, 1]
 * ```
 */
export function flag(scores: ArrayLike<number>, threshold: number): Uint8Array {
  return Uint8Array.from({ length: scores.length }, (_, i) => (scores[i] > threshold ? 1 : 0));
}
