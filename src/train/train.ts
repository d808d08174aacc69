/**
 * `train()` and `resume()`: a run of a model of the zoo, from the settings
 * to the trained model. They start the backend, load the data, build the
 * model and its step (restoring a checkpoint when resuming), and hand them
 * to the fit loop with the callbacks that make a run: the run-folder
 * writer, early stopping, the progress bar and log lines, unless the caller
 * passes callbacks of their own.
 *
 * ```ts
 * import { train } from "./train.ts";
 * const result = await train({ model: "conv", epochs: 1, trainSize: 2000, testSize: 500, out: "runs/quick" });
 * console.log(result.metrics.at(-1)?.test_loss);
 * ```
 *
 * @module
 */
import { type BackendChoice, type BackendRequest, initBackend } from "../backend/backend.ts";
import { loadData } from "../data/load.ts";
import { holdOut } from "../data/dataset.ts";
import { getModel } from "../models/registry.ts";
import type { Autoencoder, LossName } from "../models/model.ts";
import {
  checkBeforeLoading,
  checkSameShape,
  fitConfigToData,
  recordedShape,
} from "./input_shape.ts";
import { PermissionError } from "../io/permissions.ts";
import {
  loadCheckpoint,
  loadWeights,
  readMetrics,
  readRunRecord,
  RUN_FILES,
  RunFolderError,
} from "../run/run_folder.ts";
import {
  dataOptions,
  type ParallelRequest,
  resolveConfig,
  type RunConfig,
  type RunSettings,
  type WorkersRequest,
} from "./config.ts";
import { chooseWorkers, parallelMode, Replicas, shareDataset, startWorkers } from "./parallel.ts";
import { describeScaling } from "../data/scaling.ts";
import { type EpochMetrics, fit, type FitCallback, type TrainingState } from "./fit.ts";
import { createTrainStep, type TrainStep } from "./step.ts";
import { NonFiniteLossError } from "./loss_meter.ts";
import { EarlyStopping, ProgressBar, RunFolderWriter, TrainLog } from "./callbacks.ts";

/** How a run reports: where log lines go, whether a bar is drawn, or callbacks instead. */
export interface RunOutputOptions {
  /** Print no progress bar, one line per epoch instead (default false). */
  quiet?: boolean;
  /** Where log lines go (default: `console.log`). */
  log?: (line: string) => void;
  /**
   * The fit loop's callbacks, replacing the standard ones (the run-folder
   * writer, early stopping, the progress bar, log lines); `[]` trains
   * without writing or printing anything.
   */
  callbacks?: FitCallback[];
}

/** Options for {@linkcode train}; unset hyper-parameters take the model's defaults. */
export interface TrainOptions extends RunSettings, RunOutputOptions {
  /** Run folder (default `runs/<model>-<timestamp>`). */
  out?: string;
}

/** Options of {@linkcode resume}. */
export interface ResumeOptions extends RunOutputOptions {
  /** Train up to this many epochs in all (default: the run's own setting). */
  epochs?: number;
  /** Backend for the rest of the run (default: the one it used). */
  backend?: BackendRequest;
  /**
   * Replicas for the rest of the run (default: what it asked for, 1 in runs
   * made before workers). The rest equals an uninterrupted run with the same count.
   */
  workers?: WorkersRequest;
  /**
   * How they share a step for the rest of the run (default: what it asked
   * for, `replicas` in runs made before kernel threads).
   */
  parallel?: ParallelRequest;
  /** The model the run must be of; another is refused before any work (default: any). */
  model?: string;
}

/** What {@linkcode train} returns. */
export interface TrainResult {
  /** The run folder: `config.json`, `metrics.jsonl`, checkpoint and figures (when the standard callbacks wrote them). */
  runDir: string;
  /** The settings the run used, as written to `config.json`. */
  config: RunConfig;
  /** The backend that trained it, and why it was chosen. */
  backend: BackendChoice;
  /** One entry per epoch, earlier epochs of a resumed run included. */
  metrics: EpochMetrics[];
  /** The trained model; with early stopping on, it holds the best epoch's weights. */
  autoencoder: Autoencoder;
  /** Where training ended: epochs done, best validation loss and its epoch (with a validation set). */
  state: TrainingState;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/**
 * Trains a model of the zoo into a new run folder, writing after every epoch
 * a line of `metrics.jsonl`, a checkpoint, `loss.png`, `reconstructions.png`
 * and the model's own figures. With `valSplit` (0.1 by default under early
 * stopping) a seeded part of the training data becomes the validation set;
 * early stopping keeps the epoch of least validation loss in `best/` and
 * returns its weights. The test set is reported, never used to choose.
 * On WASM-SIMD, a run that may use kernel threads (see `chooseWorkers`)
 * starts the backend on a shared memory, and a run on replicas or one worker
 * on a plain one: switching restarts the backend, so tensors made before on
 * the other memory are gone.
 *
 * @example
 * ```ts
 * import { train } from "./train.ts";
 * const { metrics } = await train({ model: "conv", epochs: 1, seed: 0 });
 * ```
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const config = resolveConfig(options);
  const runDir = options.out ?? `runs/${config.model}-${timestamp()}`;
  if (!options.callbacks) {
    // An unreadable folder is not checked here: writing to it fails later with the flags to grant.
    const existing = await readRunRecord(runDir).catch((e) => {
      if (e instanceof RunFolderError || e instanceof PermissionError) return undefined;
      throw e;
    });
    if (existing) {
      throw new RunFolderError(
        `${runDir} already holds a ${existing.config.model} run: continue it with --resume ${runDir}, ` +
          `or choose another --out`,
      );
    }
  }
  return await run(runDir, config, false, options);
}

/**
 * Continues the run in `runDir` from its last complete epoch, with the same
 * data order, noise and optimizer state an uninterrupted run would have had.
 * A damaged last checkpoint is passed over for the previous epoch's. A run
 * made before validation splits (whose early stopping selected on the test
 * set) continues without a validation set and without early stopping.
 *
 * @example
 * ```ts
 * import { resume } from "./train.ts";
 * await resume("runs/conv-20261122-101500", { epochs: 20 });
 * ```
 */
export async function resume(runDir: string, options: ResumeOptions = {}): Promise<TrainResult> {
  const config: RunConfig = { ...(await readRunRecord(runDir)).config };
  if (options.model !== undefined && options.model !== config.model) {
    throw new RunFolderError(
      `${runDir} holds a ${config.model} run, not ${options.model}: resume it with ` +
        `\`train ${config.model} --resume ${runDir}\` (or without a model), ` +
        `or train ${options.model} into another --out`,
    );
  }
  if (options.epochs !== undefined) config.epochs = options.epochs;
  if (options.backend !== undefined) config.backend = options.backend;
  config.workers = options.workers ?? config.workers ?? 1;
  config.parallel = options.parallel ?? config.parallel ?? "replicas";
  if (config.valSplit === undefined) {
    config.valSplit = 0;
    if (config.earlyStopping > 0) {
      config.earlyStopping = 0;
      (options.log ?? console.log)(
        `${runDir} was made before validation splits: its early stopping selected on the test ` +
          "set, so it continues without early stopping (its training data stays as it was)",
      );
    }
  }
  return await run(runDir, config, true, options);
}

async function run(
  runDir: string,
  settings: RunConfig,
  resuming: boolean,
  options: RunOutputOptions & { loss?: LossName },
): Promise<TrainResult> {
  const spec = getModel(settings.model);
  // Refused before any data is read when the options tell the shape (see checkBeforeLoading).
  await checkBeforeLoading(spec, settings, { newRun: !resuming });
  const log = options.log ?? ((line: string) => console.log(line));
  // Kernel threads work on a shared memory, which the backend is started on.
  const sharedMemory = settings.workers !== 1 && parallelMode(settings.parallel) === "kernels";
  const backend = await initBackend({ backend: settings.backend, sharedMemory });
  const { train: all, test: testSet, scaling, description } = await loadData({
    ...dataOptions(settings),
    trainSize: settings.trainSize ?? undefined,
    testSize: settings.testSize ?? undefined,
    trainClasses: settings.trainClasses ?? undefined,
    excludeClasses: settings.excludeClasses ?? undefined,
  });
  if (resuming) checkSameShape(all, recordedShape(settings)!, runDir);
  const config = resuming
    ? settings
    : fitConfigToData(settings, all, { loss: options.loss, log, test: testSet }, spec);
  const { rest: trainSet, held: validation } = holdOut(all, {
    fraction: config.valSplit ?? 0,
    seed: config.seed,
    name: "validation set (--val-split)",
  });
  // Recorded in config.json, so that whatever reads this run's data again scales it the same way.
  config.scaling = scaling;
  const ae = spec.build(config);
  const step = createTrainStep(ae, config);
  const { state, metrics } = resuming
    ? await restore(runDir, ae, step, log, validation !== undefined)
    : { state: { epoch: 0 }, metrics: [] };
  const choice = chooseWorkers(config.workers ?? "auto", {
    backend: backend.name,
    batchSize: config.batchSize,
    steps: Math.ceil(trainSet.count / config.batchSize) * config.epochs,
    parallel: config.parallel,
  });
  // Replicas read the training set from shared memory.
  const shared = choice.count > 1 && choice.mode === "replicas" ? shareDataset(trainSet) : trainSet;
  const { workers, replicas, threads } = await startWorkers(
    choice,
    () => Replicas.start({ count: choice.count, config, train: shared, autoencoder: ae, step }),
    "training",
  );
  const train = replicas ? shared : trainSet;
  const writer = new RunFolderWriter(runDir, config, backend);
  const callbacks = options.callbacks ?? standardCallbacks(writer, {
    ...options,
    log,
    resumed: resuming ? runDir : undefined,
    source: description,
  });
  const result = await fit({
    autoencoder: ae,
    step,
    train,
    // Shared with the workers, which evaluate parts of them.
    validation: validation && replicas ? shareDataset(validation) : validation,
    test: replicas ? shareDataset(testSet) : testSet,
    settings: config,
    backend,
    callbacks,
    state,
    metrics,
    workers,
    replicas,
  }).catch((e) => {
    if (e instanceof NonFiniteLossError && callbacks.includes(writer)) {
      e.message += writer.savedEpoch
        ? `; ${runDir}/${RUN_FILES.checkpoint} keeps epoch ${writer.savedEpoch}, the last good one`
        : "; no checkpoint was written";
    }
    throw e;
  }).finally(() => (replicas?.stop(), threads?.stop()));
  return { runDir, config, backend, metrics: result.metrics, autoencoder: ae, state: result.state };
}

/**
 * Loads the run's checkpoint into the model and its optimizer; the state and
 * metrics it had. Without a validation set there is no best epoch: a run
 * made before validation splits recorded one chosen on the test set, which
 * is dropped.
 */
async function restore(
  runDir: string,
  ae: Autoencoder,
  step: TrainStep,
  log: (line: string) => void,
  validated: boolean,
): Promise<{ state: TrainingState; metrics: EpochMetrics[] }> {
  const loaded = await loadCheckpoint(runDir, {
    parameters: ae.parameters,
    optimizer: step.optimizer,
  });
  if (loaded.fellBack) {
    log(`${loaded.fellBack}: resuming from the previous checkpoint, ${loaded.dir}`);
  }
  const metrics = (await readMetrics(runDir)).slice(0, loaded.state.epoch);
  return { state: validated ? loaded.state : { epoch: loaded.state.epoch }, metrics };
}

/** What `train()` installs: log lines, the progress bar (or per-epoch lines), the run folder, early stopping. */
function standardCallbacks(
  writer: RunFolderWriter,
  options: { quiet?: boolean; log: (line: string) => void; resumed?: string; source?: string },
): FitCallback[] {
  const { quiet, log, resumed, source } = options;
  const { runDir, config } = writer;
  const classes = config.trainClasses
    ? `classes ${config.trainClasses.join(",")} only`
    : config.excludeClasses
    ? `without classes ${config.excludeClasses.join(",")}`
    : undefined;
  return [
    new TrainLog({
      log,
      epochs: quiet,
      resumed,
      classes,
      source,
      scaling: config.scaling && describeScaling(config.scaling),
    }),
    ...(quiet ? [] : [new ProgressBar()]),
    writer,
    ...(config.earlyStopping > 0
      ? [
        new EarlyStopping({
          patience: config.earlyStopping,
          log,
          restoreBest: async (run) =>
            void await loadWeights(runDir, run.autoencoder.parameters, {
              folder: RUN_FILES.best,
            }),
        }),
      ]
      : []),
  ];
}
