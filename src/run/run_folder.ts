/**
 * The run folder, the one module that knows its format: the file names,
 * `config.json` (the settings, backend and versions a run was made with),
 * `metrics.jsonl` (one line per epoch), the figures, and the checkpoint
 * layout. Training writes through it; `--resume`, `loadRun`, the report,
 * feature export and t-SNE read through it.
 *
 * A checkpoint is a folder (`checkpoint/`, and `best/` under early stopping)
 * holding the model's weights in tfjs layers format (`model.json` + `weights.bin`,
 * loadable by `tf.loadLayersModel`), the optimizer's state, the training
 * position and `manifest.json` with the size and SHA-256 of each file. A
 * save replaces the folder atomically and keeps the one before it as
 * `checkpoint.prev/`, which loading falls back to when the newer one is
 * missing or damaged.
 *
 * ```ts
 * import { readMetrics, readRunRecord, RUN_FILES } from "./run_folder.ts";
 * const { config, backend } = await readRunRecord("runs/conv-20261122-101500");
 * const metrics = await readMetrics("runs/conv-20261122-101500");
 * console.log(config.model, backend.name, metrics.length, RUN_FILES.lossChart);
 * ```
 *
 * @module
 */
import { tf, type tfl } from "../deps.ts";
import meta from "../../deno.json" with { type: "json" };
import type { BackendChoice } from "../backend/backend.ts";
import type { RunConfig } from "../train/config.ts";
import type { EpochMetrics, TrainingState } from "../train/fit.ts";
import type { Adam } from "../train/optimizer.ts";
import { UserError } from "../errors.ts";
import { withPermission } from "../io/permissions.ts";
import { parseScaling } from "../data/scaling.ts";
import { ensureDir, exists, writeFileAtomic } from "../io/atomic.ts";
import { decodeTensors, encodeTensors, networkArtifacts } from "./_weights.ts";

export { networkArtifacts };

/** The names of the files a run folder holds. */
export const RUN_FILES = {
  /** The run's settings, backend and versions ({@linkcode RunRecord}). */
  config: "config.json",
  /** One JSON line of metrics per epoch. */
  metrics: "metrics.jsonl",
  /** Train, validation (when the run has a validation set) and test loss per epoch. */
  lossChart: "loss.png",
  /** Test samples and their reconstructions: images over them, or line plots of table rows. */
  reconstructions: "reconstructions.png",
  /** The last epoch's checkpoint folder. */
  checkpoint: "checkpoint",
  /** The best epoch's checkpoint folder, kept under early stopping. */
  best: "best",
  /** The self-contained HTML report. */
  report: "report.html",
  /** The t-SNE scatter of the test features. */
  tsnePlot: "tsne.png",
  /** Exported features: one archive, and each array as its own `.npy`. */
  features: "features.npz",
  /** The arrays of the features archive, each also written as `<name>.npy`. */
  featureArrays: ["train_features", "train_labels", "test_features", "test_labels"],
  /** The name of each class (a JSON array, label i's at i), beside the features when the data names them. */
  classNames: "class_names.json",
  /** `deno task detect`: the threshold, its rule, counts and metrics; written last. */
  detect: "detect.json",
  /** One anomaly score per sample, float32. */
  scores: "scores.npy",
  /** index, score, flagged, label and class, anomaly (by the labels) per sample. */
  anomalies: "anomalies.csv",
  /** Histograms of normal and anomalous scores with the threshold. */
  scoresChart: "scores.png",
  /** The detection's ROC curve. */
  rocChart: "roc.png",
  /** The detection's precision-recall curve. */
  prChart: "pr.png",
  /** The most anomalous inputs over their reconstructions. */
  topAnomalies: "anomalies.png",
  /** The detection's figures, in the order the report shows them. */
  detectionFigures: ["scores.png", "roc.png", "pr.png", "anomalies.png"],
} as const;

/** The files of a checkpoint folder. */
const CHECKPOINT = {
  model: "model.json",
  weights: "weights.bin",
  optimizer: "optimizer.json",
  moments: "optimizer.bin",
  state: "state.json",
  manifest: "manifest.json",
} as const;

/** A folder that is not (or not yet) a run: no `config.json`, or no checkpoint. */
export class RunFolderError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "RunFolderError";
}

/** A checkpoint file that is missing, cut short or altered since it was written. */
export class CheckpointError extends RunFolderError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "CheckpointError";
}

/** What `config.json` holds. */
export interface RunRecord {
  /** The run's settings, which `--resume` and `loadRun` rebuild the model from. */
  config: RunConfig;
  /** The backend the run last trained on, and why it was chosen. */
  backend: BackendChoice;
  /** Versions of diabolo, Deno and tfjs-core that wrote the record. */
  versions: { diabolo: string; deno: string; tfjs: string };
  /** ISO 8601 time the record was written: the run's start, or its last resume. */
  created: string;
}

/**
 * Reads `<runDir>/config.json`.
 *
 * @example
 * ```ts
 * import { readRunRecord } from "./run_folder.ts";
 * const { config } = await readRunRecord("runs/vae-1"); // config.model === "vae"
 * ```
 */
export async function readRunRecord(runDir: string): Promise<RunRecord> {
  const text = await withPermission(
    "read",
    runDir,
    () => Deno.readTextFile(`${runDir}/${RUN_FILES.config}`),
  ).catch((e) => {
    if (e instanceof Deno.errors.NotFound) {
      throw new RunFolderError(`${runDir}: not a run folder (no ${RUN_FILES.config})`);
    }
    throw e;
  });
  const record: RunRecord = JSON.parse(text);
  // Runs made before scaling was recorded have none; a recorded one must be well formed.
  if (record.config?.scaling !== undefined) {
    record.config.scaling = parseScaling(record.config.scaling, `${runDir}/${RUN_FILES.config}`);
  }
  return record;
}

/** Creates the run folder if needed and writes its `config.json` for a run starting or resuming now. */
export async function writeRunRecord(
  runDir: string,
  config: RunConfig,
  backend: BackendChoice,
): Promise<void> {
  const record: RunRecord = {
    config,
    backend,
    versions: { diabolo: meta.version, deno: Deno.version.deno, tfjs: tf.version_core },
    created: new Date().toISOString(),
  };
  await ensureDir(runDir);
  await writeRunFile(runDir, RUN_FILES.config, JSON.stringify(record, null, 2) + "\n");
}

/**
 * The lines of `<runDir>/metrics.jsonl`, none if the run has not finished an
 * epoch. Lines written before validation splits, whose `val_loss` was the
 * test set's loss, read with it as `test_loss`.
 */
export async function readMetrics(runDir: string): Promise<EpochMetrics[]> {
  const text = await readRunFile(runDir, RUN_FILES.metrics);
  if (!text) return [];
  return new TextDecoder().decode(text).split("\n").filter((l) => l.trim()).map((l) => {
    const line = JSON.parse(l);
    if ("test_loss" in line || !("val_loss" in line)) return line;
    return Object.fromEntries(
      Object.entries(line).map(([k, v]) => [k === "val_loss" ? "test_loss" : k, v]),
    ) as EpochMetrics;
  });
}

/** Replaces `<runDir>/metrics.jsonl` with these epochs' lines. */
export async function writeMetrics(
  runDir: string,
  metrics: readonly EpochMetrics[],
): Promise<void> {
  await writeRunFile(
    runDir,
    RUN_FILES.metrics,
    metrics.map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
}

/** Writes a file of the run folder (a figure, a record) under a temporary name, then renames it. */
export async function writeRunFile(
  runDir: string,
  name: string,
  data: Uint8Array | string,
): Promise<void> {
  await writeFileAtomic(`${runDir}/${name}`, data);
}

/** The bytes of a file of the run folder, or `undefined` when it has none. */
export async function readRunFile(runDir: string, name: string): Promise<Uint8Array | undefined> {
  try {
    return await withPermission("read", runDir, () => Deno.readFile(`${runDir}/${name}`));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/** The names of the PNG figures in the run folder, sorted. */
export async function runFigures(runDir: string): Promise<string[]> {
  const names: string[] = [];
  await withPermission("read", runDir, async () => {
    for await (const e of Deno.readDir(runDir)) {
      if (e.isFile && e.name.endsWith(".png")) names.push(e.name);
    }
  });
  return names.sort();
}

/** What a checkpoint holds besides its state. */
export interface CheckpointParts {
  /** The container of every weight of the model (`Autoencoder.parameters`). */
  parameters: tfl.LayersModel;
  /** The optimizer, whose moments and step count continue on resume. */
  optimizer: Adam;
}

/** Options of the checkpoint functions. */
export interface CheckpointFolderOptions {
  /** Which checkpoint: `checkpoint` (default, the last epoch) or `best` (early stopping's). */
  folder?: typeof RUN_FILES.checkpoint | typeof RUN_FILES.best;
}

/** A checkpoint as loaded. */
export interface LoadedCheckpoint {
  /** Where training stood when it was saved. */
  state: TrainingState;
  /** The folder it was read from. */
  dir: string;
  /**
   * Why the newer checkpoint was passed over for the previous epoch's, when
   * it was (the damaged file and what was expected of it).
   */
  fellBack?: string;
}

/**
 * Writes the checkpoint folder `<runDir>/checkpoint` (or `best`) with a
 * manifest of sizes and checksums, replacing the previous one atomically and
 * keeping it as `checkpoint.prev`.
 *
 * @example
 * ```ts
 * import { saveCheckpoint, type CheckpointParts } from "./run_folder.ts";
 * async function save(parts: CheckpointParts) {
 *   await saveCheckpoint("runs/conv-1", { ...parts, state: { epoch: 3 } });
 * }
 * ```
 */
export async function saveCheckpoint(
  runDir: string,
  parts: CheckpointParts & { state: TrainingState },
  options: CheckpointFolderOptions = {},
): Promise<void> {
  const { parameters, optimizer, state } = parts;
  const model = await networkArtifacts(parameters, CHECKPOINT.weights);
  const opt = optimizer.getState();
  const moments = await encodeTensors(
    Object.fromEntries(opt.moments.map((t, i) => [`moment_${i}`, t])),
  );
  const text = new TextEncoder();
  const files: Record<string, Uint8Array> = {
    [CHECKPOINT.model]: text.encode(model.json),
    [CHECKPOINT.weights]: model.weights,
    [CHECKPOINT.optimizer]: text.encode(JSON.stringify({
      step: opt.step,
      weightsManifest: [{ paths: [CHECKPOINT.moments], weights: moments.specs }],
    })),
    [CHECKPOINT.moments]: moments.data,
    [CHECKPOINT.state]: text.encode(JSON.stringify(state)),
  };
  const manifest = Object.fromEntries(
    await Promise.all(
      Object.entries(files).map(async ([name, bytes]) => [name, {
        bytes: bytes.length,
        sha256: await sha256(bytes),
      }]),
    ),
  );
  const dir = options.folder ?? RUN_FILES.checkpoint;
  const tmp = `${runDir}/${dir}.tmp`, prev = `${runDir}/${dir}.prev`, final = `${runDir}/${dir}`;
  await withPermission("write", `${runDir}/`, async () => {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    await Deno.mkdir(tmp, { recursive: true });
    for (const [name, bytes] of Object.entries(files)) {
      await Deno.writeFile(`${tmp}/${name}`, bytes);
    }
    await Deno.writeTextFile(`${tmp}/${CHECKPOINT.manifest}`, JSON.stringify({ files: manifest }));
    if (await exists(final)) {
      await Deno.remove(prev, { recursive: true }).catch(() => {});
      await Deno.rename(final, prev);
    }
    await Deno.rename(tmp, final);
  });
}

/**
 * Loads a run's checkpointed weights into `parameters` (built with the run's
 * settings) and returns the checkpoint's state, from the previous epoch's
 * checkpoint when the last one is damaged.
 *
 * @example
 * ```ts
 * import { loadWeights } from "./run_folder.ts";
 * import { MODELS } from "../models/registry.ts";
 * const { parameters } = MODELS.conv.build({ latentDim: 64, seed: 0 });
 * const { state } = await loadWeights("runs/conv-1", parameters);
 * ```
 */
export async function loadWeights(
  runDir: string,
  parameters: tfl.LayersModel,
  options: CheckpointFolderOptions = {},
): Promise<LoadedCheckpoint> {
  return await loadFrom(runDir, options.folder, (files) => {
    const named = tensorsOf(files, CHECKPOINT.model);
    parameters.loadWeights(named, true);
    tf.dispose(Object.values(named));
  });
}

/**
 * Reads a checkpoint into `parameters` and `optimizer`, from the previous
 * epoch's checkpoint when the last one is damaged.
 *
 * @example
 * ```ts
 * import { loadCheckpoint, type CheckpointParts } from "./run_folder.ts";
 * async function restart(parts: CheckpointParts): Promise<number> {
 *   return (await loadCheckpoint("runs/conv-1", parts)).state.epoch;
 * }
 * ```
 */
export async function loadCheckpoint(
  runDir: string,
  parts: CheckpointParts,
): Promise<LoadedCheckpoint> {
  return await loadFrom(runDir, RUN_FILES.checkpoint, (files) => {
    const named = tensorsOf(files, CHECKPOINT.model);
    parts.parameters.loadWeights(named, true);
    tf.dispose(Object.values(named));
    const opt = tensorsOf(files, CHECKPOINT.optimizer);
    const moments = Object.keys(opt)
      .sort((a, b) => Number(a.split("_")[1]) - Number(b.split("_")[1]))
      .map((k) => opt[k]);
    parts.optimizer.setState({ step: json(files, CHECKPOINT.optimizer).step, moments });
    tf.dispose(moments);
  });
}

/** Reads and checks the newest sound checkpoint of `folder`, then hands its files to `use`. */
async function loadFrom(
  runDir: string,
  folder: string = RUN_FILES.checkpoint,
  use: (files: Map<string, Uint8Array>) => void,
): Promise<LoadedCheckpoint> {
  const failures: string[] = [];
  for (const dir of [`${runDir}/${folder}`, `${runDir}/${folder}.prev`]) {
    let files;
    try {
      files = await readCheckpoint(dir);
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      failures.push(e.message);
      continue;
    }
    if (!files) continue;
    use(files);
    return {
      state: json(files, CHECKPOINT.state),
      dir,
      ...(failures.length && { fellBack: failures[0] }),
    };
  }
  if (failures.length) throw new CheckpointError(failures.join("; "));
  throw new RunFolderError(
    `${runDir}: no checkpoint (expected ${runDir}/${folder}/${CHECKPOINT.state})`,
  );
}

/**
 * The files of checkpoint folder `dir`, checked against its manifest;
 * `undefined` when there is no such checkpoint.
 */
async function readCheckpoint(dir: string): Promise<Map<string, Uint8Array> | undefined> {
  return await withPermission("read", dir, async () => {
    if (!(await exists(`${dir}/${CHECKPOINT.state}`))) return undefined;
    const files = new Map<string, Uint8Array>();
    // Checkpoints written before manifests existed are checked against their tensor specs only.
    const manifest = await Deno.readTextFile(`${dir}/${CHECKPOINT.manifest}`).then(
      (t) => JSON.parse(t).files as Record<string, { bytes: number; sha256: string }>,
      () => undefined,
    );
    for (const name of Object.values(CHECKPOINT)) {
      if (name === CHECKPOINT.manifest) continue;
      const path = `${dir}/${name}`;
      const bytes = await Deno.readFile(path).catch((e) => {
        if (e instanceof Deno.errors.NotFound) throw new CheckpointError(`${path} is missing`);
        throw e;
      });
      const expected = manifest?.[name];
      if (expected && bytes.length !== expected.bytes) {
        throw new CheckpointError(
          `${path} has ${bytes.length} bytes, expected ${expected.bytes} (cut short or damaged)`,
        );
      }
      if (expected && (await sha256(bytes)) !== expected.sha256) {
        throw new CheckpointError(
          `${path} does not match the SHA-256 its checkpoint recorded (damaged)`,
        );
      }
      files.set(name, bytes);
    }
    for (
      const [specs, data] of [[CHECKPOINT.model, CHECKPOINT.weights], [
        CHECKPOINT.optimizer,
        CHECKPOINT.moments,
      ]]
    ) {
      const expected = specBytes(dir, files, specs);
      const got = files.get(data)!.length;
      if (got !== expected) {
        throw new CheckpointError(
          `${dir}/${data} has ${got} bytes, expected ${expected} (cut short or damaged)`,
        );
      }
    }
    return files;
  });
}

/** The bytes of the tensors a manifest file (`model.json`, `optimizer.json`) describes. */
function specBytes(dir: string, files: Map<string, Uint8Array>, name: string): number {
  let specs: tf.io.WeightsManifestEntry[];
  try {
    specs = (json(files, name).weightsManifest as tf.io.WeightsManifestConfig)[0].weights;
  } catch {
    throw new CheckpointError(`${dir}/${name} is not a weights manifest (cut short or damaged)`);
  }
  const width = (dtype: string) => (dtype === "bool" || dtype === "string" ? 1 : 4);
  return specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * width(s.dtype), 0);
}

function json(files: Map<string, Uint8Array>, name: string) {
  return JSON.parse(new TextDecoder().decode(files.get(name)));
}

/** The tensors a manifest file (`model.json`, `optimizer.json`) describes. */
function tensorsOf(files: Map<string, Uint8Array>, manifestFile: string): tf.NamedTensorMap {
  const [group] = json(files, manifestFile).weightsManifest as tf.io.WeightsManifestConfig;
  return decodeTensors(files.get(group.paths[0])!, group.weights);
}

async function sha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
