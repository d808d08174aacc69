/**
 * Anomaly detection with a trained run: scores the run's validation data
 * (`--val-split`), or else its training data, to fit the threshold, scores the data to check (the run's test split by
 * default), and writes `scores.npy`, `anomalies.csv`, `detect.json` and the
 * figures `scores.png`, `roc.png`, `pr.png`, `anomalies.png` into the run
 * folder (or `out`). With labels that say what is normal (`normalClasses`,
 * by default the classes the run was trained on), it also reports ROC-AUC,
 * average precision, and precision, recall, F1 and the confusion matrix at
 * the threshold, the anomalies being the positive class. Every input is
 * checked before anything is written, and every file is written atomically.
 *
 * ```ts
 * import { detect } from "./detect.ts";
 * const result = await detect("runs/conv-3", { normalClasses: [3] });
 * console.log(result.metrics?.rocAuc);
 * ```
 *
 * @module
 */
import { loadRun } from "../inference/load_run.ts";
import { reconstruct } from "../inference/codec.ts";
import type { BackendRequest } from "../backend/backend.ts";
import { loadData } from "../data/load.ts";
import { dataOptions } from "../train/config.ts";
import { floatImages, holdOut, sampleSize } from "../data/dataset.ts";
import { UserError } from "../errors.ts";
import { ensureDir } from "../io/atomic.ts";
import { RUN_FILES, writeRunFile } from "../run/run_folder.ts";
import { writeNpy } from "../io/npy.ts";
import { loadDetectionData } from "./data.ts";
import { AnomalyDetector, flag } from "./detector.ts";
import {
  averagePrecision,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  thresholdMetrics,
} from "./metrics.ts";
import type { ThresholdMetrics } from "./metrics.ts";
import { defaultScore, type ScoreName } from "./scores.ts";
import { DEFAULT_THRESHOLD_RULE, type ThresholdRule } from "./threshold.ts";
import { prFigure, rocFigure, scoreHistogram, topAnomaliesFigure, topK } from "./figures.ts";
import { className } from "../plot/scatter.ts";

/** Options for {@linkcode detect}. */
export interface DetectOptions {
  /** An IDX folder or `.npy` of images to check (default: the run's own test split). */
  data?: string;
  /** Classes that are normal; every other labelled sample is an anomaly (default: the run's `trainClasses`, else the classes it did not exclude, else no labels-based metrics). */
  normalClasses?: number[];
  /** The label that marks anomalies, every other label being normal (a source whose labels are 0/1 for normal/anomaly); an alternative to `normalClasses`. */
  anomalyLabel?: number;
  /** Per-sample score (default: the run's reconstruction loss, `--loss`; `elbo` for a VAE's negative ELBO). */
  score?: ScoreName;
  /** Threshold rule (default mean + 1 std of the training scores). */
  threshold?: ThresholdRule;
  /** Folder for the outputs (default: the run folder). */
  out?: string;
  /** Backend (default `auto`). */
  backend?: BackendRequest;
  /** Inputs shown in `anomalies.png` (default 10). */
  top?: number;
}

/** Detection metrics against the labels, anomalies being the positive class. */
export interface DetectionMetrics extends ThresholdMetrics {
  /** Area under the ROC curve, as sklearn's `roc_auc_score`. */
  rocAuc: number;
  /** As sklearn's `average_precision_score`. */
  averagePrecision: number;
}

/** What `detect.json` holds. */
export interface DetectRecord {
  /** The run whose model scored. */
  run: string;
  /** The samples scored. */
  data: string;
  /** How many. */
  samples: number;
  /** The per-sample score. */
  score: ScoreName;
  /** The threshold, its rule, and the scores it was fitted on. */
  threshold: { value: number; rule: string; fitted_on: string };
  /** Samples flagged as anomalies (score above the threshold). */
  flagged: number;
  /** Always `anomaly`: the class the metrics count as positive. */
  positive_class: "anomaly";
  /** The normal classes, when labels say what is normal. */
  normal_classes: number[] | null;
  /** The name of class `i`, when the source names its classes (absent in older records). */
  class_names?: string[] | null;
  /** The label that marks anomalies, when `--anomaly-label` said so. */
  anomaly_label: number | null;
  /** Anomalies among the samples by the labels, when known. */
  anomalies: number | null;
  /** The metrics, when labels say what is normal. */
  metrics: {
    roc_auc: number;
    average_precision: number;
    precision: number;
    recall: number;
    f1: number;
    accuracy: number;
    confusion_matrix: { tp: number; fp: number; tn: number; fn: number };
  } | null;
}

/** What {@linkcode detect} returns. */
export interface DetectResult {
  /** Where the files went. */
  outDir: string;
  /** One score per sample. */
  scores: Float32Array;
  /** 1 where the score is above the threshold. */
  flags: Uint8Array;
  /** The contents of `detect.json`. */
  record: DetectRecord;
  /** The metrics, when labels say what is normal. */
  metrics?: DetectionMetrics;
  /** The names of the files written, `detect.json` last. */
  files: string[];
}

/**
 * Runs a detection with the run in `runDir` and writes its files.
 *
 * @example
 * ```ts
 * import { detect } from "./detect.ts";
 * const { record } = await detect("runs/dense-0", {
 *   normalClasses: [0],
 *   threshold: { kind: "contamination", p: 0.1 },
 * });
 * ```
 */
export async function detect(runDir: string, options: DetectOptions = {}): Promise<DetectResult> {
  const run = await loadRun(runDir, { backend: options.backend });
  const { config, autoencoder } = run;
  const score = options.score ?? defaultScore(config.loss);
  const rule = options.threshold ?? DEFAULT_THRESHOLD_RULE;
  const data = await loadDetectionData(config, autoencoder.inputShape, { path: options.data });
  const flagName = options.anomalyLabel !== undefined ? "--anomaly-label" : "--normal-classes";
  if (options.normalClasses && options.anomalyLabel !== undefined) {
    throw new UserError("--normal-classes and --anomaly-label: give one of them, not both");
  }
  if ((options.normalClasses || options.anomalyLabel !== undefined) && !data.labels) {
    throw new UserError(
      `${data.source} has no labels, so ${flagName} cannot say which samples are anomalies`,
    );
  }
  // Without labels, the run's own classes cannot be checked: scores and flags only.
  const present = new Set(data.labels);
  const normal = !data.labels
    ? undefined
    : options.anomalyLabel !== undefined
    ? [...present].filter((c) => c !== options.anomalyLabel)
    : normalClasses(options.normalClasses, config, data.labels);
  let truth: Uint8Array | undefined;
  if (normal && data.labels) {
    const asked = options.anomalyLabel !== undefined ? [options.anomalyLabel] : normal;
    const absent = asked.filter((c) => !present.has(c));
    if (absent.length) {
      throw new UserError(
        `${flagName}: class ${absent.join(", ")} does not occur in ${data.source} (classes: ${
          [...present].sort((a, b) => a - b).join(", ")
        })`,
      );
    }
    const set = new Set(normal);
    truth = data.labels.map((l) => (set.has(l) ? 0 : 1));
    if (truth.every((t) => t === 1) || truth.every((t) => t === 0)) {
      throw new UserError(
        `${data.source}: with normal classes ${normal.join(",")} every sample is ${
          truth[0] ? "an anomaly" : "normal"
        }; ROC-AUC needs both`,
      );
    }
  }

  const detector = new AnomalyDetector(autoencoder, {
    score,
    threshold: rule,
    scale: config.scale,
  });
  let fittedOn = "nothing (a fixed value)";
  if (rule.kind !== "value") {
    const { train } = await loadData({
      ...dataOptions(config),
      trainSize: config.trainSize ?? undefined,
      trainClasses: config.trainClasses ?? undefined,
      excludeClasses: config.excludeClasses ?? undefined,
    });
    // The samples training set aside (--val-split), as training drew them, else those it fitted.
    const { rest, held } = holdOut(train, {
      fraction: config.valSplit ?? 0,
      seed: config.seed,
      name: "validation set",
    });
    const fitted = held ?? rest;
    detector.fit(floatImages(fitted));
    fittedOn = `the run's ${fitted.count} ${held ? "validation" : "training"} samples`;
  }
  const scores = detector.scores(data.images);
  const threshold = detector.threshold;
  const flags = flag(scores, threshold.value);

  let metrics: DetectionMetrics | undefined;
  const files: Record<string, Uint8Array | string> = {};
  if (truth) {
    const roc = rocCurve(truth, scores);
    const pr = precisionRecallCurve(truth, scores);
    metrics = {
      rocAuc: rocAuc(truth, scores),
      averagePrecision: averagePrecision(truth, scores),
      ...thresholdMetrics(truth, scores, threshold.value),
    };
    const anomalies = truth.reduce((s, t) => s + t, 0);
    files[RUN_FILES.rocChart] = rocFigure(roc, metrics.rocAuc);
    files[RUN_FILES.prChart] = prFigure(
      pr,
      metrics.averagePrecision,
      anomalies / data.count,
    );
  }
  files[RUN_FILES.scoresChart] = scoreHistogram(scores, {
    threshold: threshold.value,
    anomalies: truth,
    title: `${score} scores, threshold ${threshold.rule}`,
    score,
  });
  const top = topK(scores, Math.min(options.top ?? 10, data.count));
  const sample = sampleSize(data);
  const inputs = new Float32Array(top.length * sample);
  top.forEach((i, k) => inputs.set(data.images.subarray(i * sample, (i + 1) * sample), k * sample));
  files[RUN_FILES.topAnomalies] = topAnomaliesFigure(
    inputs,
    reconstruct(autoencoder, inputs),
    {
      height: data.height,
      width: data.width,
      channels: data.channels,
      kind: data.kind,
      symmetric: config.scale === "symmetric",
      titles: top.map((i) =>
        `#${i}, score ${scores[i].toPrecision(3)}` +
        (data.labels ? `, ${className(data.labels[i], data.classNames)}` : "")
      ),
    },
  );
  files[RUN_FILES.scores] = writeNpy(scores, [scores.length]);
  files[RUN_FILES.anomalies] = anomaliesCsv(scores, flags, data.labels, truth, data.classNames);

  const record: DetectRecord = {
    run: runDir,
    data: data.source,
    samples: data.count,
    score,
    threshold: { value: threshold.value, rule: threshold.rule, fitted_on: fittedOn },
    flagged: flags.reduce((s, f) => s + f, 0),
    positive_class: "anomaly",
    normal_classes: normal ?? null,
    class_names: data.classNames ?? null,
    anomaly_label: options.anomalyLabel ?? null,
    anomalies: truth ? truth.reduce((s, t) => s + t, 0) : null,
    metrics: metrics
      ? {
        roc_auc: metrics.rocAuc,
        average_precision: metrics.averagePrecision,
        precision: metrics.precision,
        recall: metrics.recall,
        f1: metrics.f1,
        accuracy: metrics.accuracy,
        confusion_matrix: { tp: metrics.tp, fp: metrics.fp, tn: metrics.tn, fn: metrics.fn },
      }
      : null,
  };
  // detect.json goes last: a report trusts the other files once it exists.
  files[RUN_FILES.detect] = JSON.stringify(record, null, 2) + "\n";
  const outDir = options.out ?? runDir;
  await ensureDir(outDir);
  for (const [name, bytes] of Object.entries(files)) {
    await writeRunFile(outDir, name, bytes);
  }
  return { outDir, scores, flags, record, metrics, files: Object.keys(files) };
}

/** The normal classes asked for, or those the run was trained on (of the classes in `labels`). */
function normalClasses(
  given: number[] | undefined,
  config: { trainClasses?: number[] | null; excludeClasses?: number[] | null },
  labels: Uint8Array | undefined,
): number[] | undefined {
  if (given) return given;
  if (config.trainClasses) return config.trainClasses;
  if (config.excludeClasses && labels) {
    const excluded = new Set(config.excludeClasses);
    return [...new Set(labels)].filter((c) => !excluded.has(c)).sort((a, b) => a - b);
  }
  return undefined;
}

function anomaliesCsv(
  scores: Float32Array,
  flags: Uint8Array,
  labels: Uint8Array | undefined,
  truth: Uint8Array | undefined,
  classNames: readonly string[] | undefined,
): string {
  const head = [
    "index",
    "score",
    "flagged",
    ...(labels ? ["label", "class"] : []),
    ...(truth ? ["anomaly"] : []),
  ];
  const rows = [head.join(",")];
  for (let i = 0; i < scores.length; i++) {
    rows.push([
      i,
      scores[i],
      flags[i],
      ...(labels ? [labels[i], csvField(className(labels[i], classNames))] : []),
      ...(truth ? [truth[i]] : []),
    ].join(","));
  }
  return rows.join("\n") + "\n";
}

/** A CSV field: quoted (quotes doubled) when it holds a comma, quote or line break. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
