/**
 * The one-class protocol of the deep anomaly-detection literature (Ruff et
 * al. 2018 and after) on an MNIST-style dataset: for a class c, train an
 * autoencoder on the training images of c only, score the whole test set,
 * and report the ROC-AUC with every other class as the anomalies.
 * {@linkcode ONE_CLASS_DETECTOR} is diabolo's default detector for it,
 * chosen on MNIST by `deno task bench:anomaly` (README, "Finding anomalies").
 *
 * ```ts
 * import { oneClassAuc } from "./one_class.ts";
 * const { auc, seconds } = await oneClassAuc({ normalClass: 3, epochs: 2 });
 * ```
 *
 * @module
 */
import { train } from "../train/train.ts";
import { dataOptions, type RunSettings } from "../train/config.ts";
import { loadData } from "../data/load.ts";
import { type Dataset, floatImages } from "../data/dataset.ts";
import { anomalyScores, type ScoreName } from "./scores.ts";
import { rocAuc } from "./metrics.ts";

/** A detector for the protocol: a model of the zoo, its settings, the score. */
export interface OneClassDetector extends Omit<RunSettings, "trainClasses" | "excludeClasses"> {
  /** The per-sample score. */
  score: ScoreName;
}

/** diabolo's default one-class detector (what was tried: README, "Finding anomalies"). */
export const ONE_CLASS_DETECTOR: OneClassDetector = {
  model: "vae",
  latentDim: 16,
  epochs: 30,
  score: "mse",
};

/**
 * Options for {@linkcode oneClassAuc}: the class, and the detector's settings,
 * by default {@linkcode ONE_CLASS_DETECTOR}'s; another `model` starts from its
 * own defaults and the `mse` score instead.
 */
export interface OneClassOptions extends Partial<OneClassDetector> {
  /** The normal class: the only one trained on. */
  normalClass: number;
  /** The test split, already loaded at the model's pixel scale (default: loaded here). */
  test?: Dataset;
}

/** What {@linkcode oneClassAuc} returns. */
export interface OneClassResult {
  /** The normal class. */
  normalClass: number;
  /** ROC-AUC on the whole test set, the other classes being the anomalies. */
  auc: number;
  /** Seconds for training and scoring. */
  seconds: number;
}

/**
 * Trains on one class (nothing written to disk) and returns the test-set ROC-AUC.
 *
 * @example
 * ```ts
 * const { auc } = await oneClassAuc({ normalClass: 0, model: "dense", score: "mse", epochs: 5 });
 * ```
 */
export async function oneClassAuc(options: OneClassOptions): Promise<OneClassResult> {
  const t0 = performance.now();
  const { normalClass, test: given, score, ...settings } = detectorSettings(options);
  const { autoencoder, config } = await train({
    ...settings,
    trainClasses: [normalClass],
    // The loop's per-epoch test loss is not used here: a small subset keeps it cheap.
    testSize: 500,
    callbacks: [],
  });
  const test = given ??
    (await loadData(dataOptions(config))).test;
  const scores = anomalyScores(autoencoder, floatImages(test), { score, scale: config.scale });
  const anomalies = test.labels.map((l) => (l === normalClass ? 0 : 1));
  return {
    normalClass,
    auc: rocAuc(anomalies, scores),
    seconds: (performance.now() - t0) / 1000,
  };
}

/**
 * The detector `options` ask for: {@linkcode ONE_CLASS_DETECTOR} under them,
 * unless they name another model, whose own defaults then apply (its seed's
 * code size, epochs, ...), scored by `mse`.
 *
 * @example
 * ```ts
 * detectorSettings({ model: "dense", epochs: 5 }); // { score: "mse", model: "dense", epochs: 5 }
 * ```
 */
export function detectorSettings<T extends Partial<OneClassDetector>>(
  options: T,
): OneClassDetector & T {
  const base: OneClassDetector = options.model && options.model !== ONE_CLASS_DETECTOR.model
    ? { model: options.model, score: "mse" }
    : ONE_CLASS_DETECTOR;
  return { ...base, ...options };
}
