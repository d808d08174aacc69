/**
 * Latent features of a trained run for other tools: the encoder's codes of
 * every train and test image, with labels, as `features.npz` and `.npy`
 * files numpy loads directly.
 *
 * ```ts
 * import { exportFeatures } from "./export.ts";
 * const { testAccuracy, files } = await exportFeatures("runs/conv-20261122-101500");
 * console.log(files, testAccuracy);
 * ```
 *
 * @module
 */
import { loadRun } from "../inference/load_run.ts";
import { encode, latentSize } from "../inference/codec.ts";
import { loadData } from "../data/load.ts";
import { type Dataset, floatImages } from "../data/dataset.ts";
import { chooseWorkers, Replicas, shareDataset, startWorkers } from "../train/parallel.ts";
import type { WorkersRequest } from "../train/config.ts";
import { dataOptions } from "../train/config.ts";
import type { BackendRequest } from "../backend/backend.ts";
import { writeNpz } from "../io/npz.ts";
import { writeNpy } from "../io/npy.ts";
import { ensureDir, writeFileAtomic } from "../io/atomic.ts";
import { neighborAccuracy } from "../tsne/metrics.ts";
import { RUN_FILES } from "../run/run_folder.ts";

/** Options for {@linkcode exportFeatures}. */
export interface ExportFeaturesOptions {
  /** Backend for the encoder (default `auto`). */
  backend?: BackendRequest;
  /** Folder to write into (default: the run folder). */
  out?: string;
  /** Neighbours voting in the test accuracy (default 10). */
  k?: number;
  /**
   * Replicas encoding in parallel, the main thread's included (default
   * `auto`: one per hardware thread on wasm for 20,000+ images; see `chooseWorkers`).
   */
  workers?: WorkersRequest;
  /** Where the choice of workers is said (default: nowhere). */
  log?: (line: string) => void;
}

/** What {@linkcode exportFeatures} wrote and measured. */
export interface ExportedFeatures {
  /** Paths written. */
  files: string[];
  /** Code size. */
  dims: number;
  /** Training images encoded: the whole split, not the run's `trainSize` subset. */
  trainCount: number;
  /** Test images encoded: the whole split, not the run's `testSize` subset. */
  testCount: number;
  /** Leave-one-out k-NN label accuracy among the test features. */
  testAccuracy: number;
}

/**
 * Encodes the whole train and test sets with the run's encoder and writes
 * `features.npz` (`train_features`, `train_labels`, `test_features`,
 * `test_labels`), the same four arrays as `.npy` files and, when the data
 * names its classes (CSV labels, image folders, CIFAR), `class_names.json`.
 *
 * @example
 * ```ts
 * const { testAccuracy } = await exportFeatures("runs/conv-1", { backend: "wasm" });
 * ```
 */
export async function exportFeatures(
  runDir: string,
  options: ExportFeaturesOptions = {},
): Promise<ExportedFeatures> {
  const run = await loadRun(runDir, { backend: options.backend });
  const { train, test } = await loadData(dataOptions(run.config));
  const dims = latentSize(run.autoencoder);
  const choice = chooseWorkers(options.workers ?? "auto", {
    backend: run.backend.name,
    batchSize: 1000,
    steps: Math.ceil((train.count + test.count) / 1000),
    minSteps: 20,
    unit: "batches of 1,000 to encode",
    parallel: "replicas",
  });
  const { workers, replicas } = await startWorkers(
    choice,
    () =>
      Replicas.start({
        count: choice.count,
        config: run.config,
        train: shareDataset(test),
        autoencoder: run.autoencoder,
      }),
    "encoding",
  );
  options.log?.(`workers: ${workers.count} (${workers.reason})`);
  const codes = async (data: Dataset) =>
    replicas
      ? await replicas.encode(shareDataset(data), run.autoencoder)
      : encode(run.autoencoder, floatImages(data));
  let arrays;
  try {
    arrays = {
      train_features: { data: await codes(train), shape: [train.count, dims] },
      train_labels: { data: train.labels, shape: [train.count] },
      test_features: { data: await codes(test), shape: [test.count, dims] },
      test_labels: { data: test.labels, shape: [test.count] },
    };
  } finally {
    replicas?.stop();
  }
  const out = options.out ?? runDir;
  await ensureDir(out);
  const files = [`${out}/${RUN_FILES.features}`];
  await writeFileAtomic(files[0], writeNpz(arrays));
  for (const [name, a] of Object.entries(arrays)) {
    files.push(`${out}/${name}.npy`);
    await writeFileAtomic(files.at(-1)!, writeNpy(a.data, a.shape));
  }
  const classNames = train.classNames ?? test.classNames;
  if (classNames) {
    files.push(`${out}/${RUN_FILES.classNames}`);
    await writeFileAtomic(files.at(-1)!, JSON.stringify(classNames) + "\n");
  }
  const testAccuracy = await neighborAccuracy(arrays.test_features.data, dims, test.labels, {
    k: options.k ?? 10,
  });
  return { files, dims, trainCount: train.count, testCount: test.count, testAccuracy };
}
