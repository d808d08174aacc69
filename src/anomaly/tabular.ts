/**
 * The one-class protocol on a table (a CSV with a label column): a seeded,
 * stratified split into training and test rows, min-max scaling fitted on
 * the normal training rows, a dense autoencoder of the table's width trained
 * on those rows only, and the test rows' ROC-AUC, the rows of every other
 * label being the anomalies.
 *
 * ```ts
 * import { tabularOneClass } from "./tabular.ts";
 * import { readCsv } from "../io/csv.ts";
 * const table = readCsv(await Deno.readTextFile("data/breast_cancer.csv"), { labelColumn: "diagnosis" });
 * const { auc } = await tabularOneClass(table, { normal: ["benign"] });
 * ```
 *
 * @module
 */
import { tf, tfl } from "../deps.ts";
import { initBackend } from "../backend/backend.ts";
import type { CsvTable } from "../io/csv.ts";
import type { Autoencoder } from "../models/model.ts";
import { denseStack } from "../models/_layers.ts";
import { initLikeTorch } from "../models/_torch_init.ts";
import { fit } from "../train/fit.ts";
import { createTrainStep } from "../train/step.ts";
import { deriveSeed, permutation } from "../random.ts";
import { UserError } from "../errors.ts";
import { anomalyScores } from "./scores.ts";
import { rocAuc } from "./metrics.ts";

/** Options for {@linkcode tabularOneClass}. */
export interface TabularOneClassOptions {
  /** Label values of the normal rows; every other label is an anomaly. */
  normal: string[];
  /** Share of each label's rows held out for testing (default 0.4). */
  testFraction?: number;
  /** Seed of the split, the weights and the batch order (default 0). */
  seed?: number;
  /** Size of the code (default: a quarter of the columns, at least 2). */
  latentDim?: number;
  /** Epochs (default 100). */
  epochs?: number;
  /** Rows per step (default 32). */
  batchSize?: number;
  /** Adam's learning rate (default 1e-3). */
  lr?: number;
}

/** A table split for the protocol, scaled to [0, 1] by the normal training rows' ranges. */
export interface TabularSplit {
  /** The normal training rows, row-major. */
  train: Float32Array;
  /** The test rows. */
  test: Float32Array;
  /** 1 for each anomalous test row. */
  testAnomalies: Uint8Array;
  /** Columns per row. */
  dims: number;
}

/** What {@linkcode tabularOneClass} returns. */
export interface TabularOneClassResult {
  /** ROC-AUC over the test rows. */
  auc: number;
  /** The split it was measured on (the baselines' too). */
  split: TabularSplit;
  /** Seconds of training and scoring. */
  seconds: number;
}

/**
 * Splits `table` (with `labels`) for the one-class protocol: each label's
 * rows are shuffled by `seed` and `testFraction` of them held out; the
 * training part keeps the normal rows only.
 *
 * @example
 * ```ts
 * const table = { data: Float32Array.of(0, 1, 2, 3), rows: 4, cols: 1, labels: ["a", "a", "b", "a"] };
 * const { train, test } = splitTable(table, { normal: ["a"], testFraction: 0.5 });
 * ```
 */
export function splitTable(
  table: CsvTable,
  options: Pick<TabularOneClassOptions, "normal" | "testFraction" | "seed">,
): TabularSplit {
  const { normal, testFraction = 0.4, seed = 0 } = options;
  const labels = table.labels;
  if (!labels) throw new UserError("the table has no label column");
  const known = new Set(labels);
  const missing = normal.filter((v) => !known.has(v));
  if (missing.length) {
    throw new UserError(
      `no row is labelled ${missing.join(", ")} (labels: ${[...known].sort().join(", ")})`,
    );
  }
  const isNormal = new Set(normal);
  const trainRows: number[] = [], testRows: number[] = [];
  [...known].sort().forEach((label, k) => {
    const rows = labels.flatMap((l, i) => (l === label ? [i] : []));
    const order = permutation(rows.length, deriveSeed(seed, 0x7ab1e, k));
    const held = Math.round(rows.length * testFraction);
    order.forEach((o, j) => {
      if (j < held) testRows.push(rows[o]);
      else if (isNormal.has(label)) trainRows.push(rows[o]);
    });
  });
  if (testRows.every((r) => isNormal.has(labels[r])) || trainRows.length === 0) {
    throw new UserError("the split needs normal training rows and anomalous test rows");
  }
  const d = table.cols;
  const lo = new Float32Array(d).fill(Infinity), hi = new Float32Array(d).fill(-Infinity);
  for (const r of trainRows) {
    for (let c = 0; c < d; c++) {
      lo[c] = Math.min(lo[c], table.data[r * d + c]);
      hi[c] = Math.max(hi[c], table.data[r * d + c]);
    }
  }
  const gather = (rows: number[]) => {
    const out = new Float32Array(rows.length * d);
    rows.forEach((r, i) => {
      for (let c = 0; c < d; c++) {
        // A constant column scales to 0 rather than dividing by zero.
        out[i * d + c] = hi[c] > lo[c] ? (table.data[r * d + c] - lo[c]) / (hi[c] - lo[c]) : 0;
      }
    });
    return out;
  };
  return {
    train: gather(trainRows),
    test: gather(testRows),
    testAnomalies: Uint8Array.from(testRows, (r) => (isNormal.has(labels[r]) ? 0 : 1)),
    dims: d,
  };
}

/**
 * A dense autoencoder for rows of `inputSize` columns in [0, 1]:
 * inputSize-hidden-latent ReLU, latent-hidden-inputSize with a sigmoid.
 *
 * @example
 * ```ts
 * const ae = tabularAutoencoder({ inputSize: 30, latentDim: 8, seed: 0 });
 * ```
 */
export function tabularAutoencoder(
  options: { inputSize: number; latentDim: number; hidden?: number; seed: number },
): Autoencoder {
  const { inputSize, latentDim, seed } = options;
  const hidden = options.hidden ?? Math.max(2 * latentDim, Math.ceil(inputSize / 2));
  const encoder = tfl.sequential({
    name: "encoder",
    layers: denseStack("enc", [inputSize, hidden, latentDim]),
  });
  const decoder = tfl.sequential({
    name: "decoder",
    layers: denseStack("dec", [latentDim, hidden, inputSize], { last: "sigmoid" }),
  });
  initLikeTorch([encoder, decoder], seed);
  const parameters = tfl.sequential({ name: "tabular_autoencoder", layers: [encoder, decoder] });
  return {
    encoder,
    decoder,
    parameters,
    inputShape: [inputSize],
    reconstruct: (input, training) =>
      tf.tidy(() => parameters.apply(input, { training }) as tf.Tensor),
  };
}

/**
 * Runs the protocol on `table` and returns the test ROC-AUC with the split.
 *
 * @example
 * ```ts
 * const table = { data: new Float32Array(40).map((_, i) => i % 7), rows: 20, cols: 2, labels: Array.from({ length: 20 }, (_, i) => (i < 15 ? "n" : "x")) };
 * const { auc } = await tabularOneClass(table, { normal: ["n"], epochs: 2 });
 * ```
 */
export async function tabularOneClass(
  table: CsvTable,
  options: TabularOneClassOptions,
): Promise<TabularOneClassResult> {
  const t0 = performance.now();
  const { seed = 0, epochs = 100, batchSize = 32, lr = 1e-3 } = options;
  const split = splitTable(table, options);
  const latentDim = options.latentDim ?? Math.max(2, Math.round(split.dims / 4));
  const backend = await initBackend({ backend: "auto" });
  const autoencoder = tabularAutoencoder({ inputSize: split.dims, latentDim, seed });
  const rows = (data: Float32Array, n: number) => ({
    images: data,
    labels: new Uint8Array(n),
    count: n,
    height: 1,
    width: split.dims,
    channels: 1,
    kind: "table" as const,
  });
  const nTrain = split.train.length / split.dims, nTest = split.test.length / split.dims;
  await fit({
    autoencoder,
    step: createTrainStep(autoencoder, { loss: "mse", lr }),
    train: rows(split.train, nTrain),
    test: rows(split.test, nTest),
    settings: {
      seed,
      batchSize,
      epochs,
      loss: "mse",
      lr,
      noise: "none",
      noiseLevel: 0,
      scale: "unit",
    },
    backend,
  });
  const scores = anomalyScores(autoencoder, split.test, { score: "mse" });
  return {
    auc: rocAuc(split.testAnomalies, scores),
    split,
    seconds: (performance.now() - t0) / 1000,
  };
}
