/**
 * The fit loop: phases, epochs, batches and the evaluation after every
 * epoch, and nothing else. What a run does around it (writing the run
 * folder, early stopping, the progress bar, log lines) are
 * {@linkcode FitCallback}s, as in tfjs-layers' `fitLoop` and Keras' `fit`;
 * with none, it trains and returns the metrics and writes and prints
 * nothing. Every random draw derives from the seed and the epoch (and
 * step), so a fit started from a checkpoint's state equals an uninterrupted one.
 *
 * ```ts
 * import { fit } from "./fit.ts";
 * import { initBackend } from "../backend/backend.ts";
 * import { createTrainStep } from "./step.ts";
 * import { resolveConfig } from "./config.ts";
 * import { MODELS } from "../models/registry.ts";
 * import { loadMnist } from "../data/mnist.ts";
 *
 * const backend = await initBackend({ backend: "wasm" });
 * const settings = resolveConfig({ model: "dense", epochs: 1 });
 * const autoencoder = MODELS.dense.build(settings);
 * const { train, test } = await loadMnist({ scale: settings.scale, trainSize: 512, testSize: 100 });
 * const step = createTrainStep(autoencoder, settings);
 * const { metrics } = await fit({ autoencoder, step, train, test, settings, backend });
 * console.log(metrics[0].test_loss);
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { BackendChoice } from "../backend/backend.ts";
import { batchOrder, type Dataset } from "../data/dataset.ts";
import type { Autoencoder, TrainingPhase } from "../models/model.ts";
import { deriveSeed } from "../random.ts";
import { UserError } from "../errors.ts";
import type { Batches } from "./batches.ts";
import { LossMeter } from "./loss_meter.ts";
import type { RunConfig } from "./config.ts";
import { evaluate } from "./evaluate.ts";
import type { TrainStep } from "./step.ts";
import { type Replica, replicaBatches, trainStepOn } from "./_replica.ts";
import { emptyProfile, ReplicaFailed, type StepProfile } from "./exchange.ts";
import type { Replicas, WorkerEpoch, WorkersChoice } from "./parallel.ts";

/** Where training stands; a checkpoint saves it with the weights. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /**
   * Best validation loss so far, over the last training phase only (unset
   * before its first epoch, and in runs without a validation set).
   */
  bestValLoss?: number;
  /** The epoch (1-based) that reached `bestValLoss`. */
  bestEpoch?: number;
}

/** One epoch's measurements: a line of `metrics.jsonl`. */
export interface EpochMetrics {
  /** Epochs completed, 1-based and counted across training phases. */
  epoch: number;
  /** Mean loss over the epoch's training batches (the model's own loss if it has one). */
  train_loss: number;
  /**
   * The same loss over the validation set after the epoch, with dropout off;
   * only in runs with a validation set. Early stopping and the best epoch select on it.
   */
  val_loss?: number;
  /** The same loss over the whole test set after the epoch; reported, never used to choose. */
  test_loss: number;
  /** Seconds of the epoch's training steps. */
  epoch_s: number;
  /** Seconds of the evaluation (validation and test sets) that followed. */
  eval_s: number;
  /** Training images per second, over `epoch_s`. */
  images_per_s: number;
  /** The backend that ran it: `webgpu`, `wasm` or `cpu`. */
  backend: string;
  /** Live tfjs tensors after the epoch; growth between epochs means a leak. */
  num_tensors: number;
  /** Bytes of those tensors. */
  num_bytes: number;
  /**
   * Extras: the model's test metrics, `best_*accuracy`, `psnr_*` with noise, `phase`, and on
   * WebGPU `gpu_bytes`, the GPU buffers the backend holds (its pool of freed ones included).
   */
  [extra: string]: number | string | undefined;
}

/** The settings the fit loop reads. */
export type FitSettings = Pick<
  RunConfig,
  "seed" | "batchSize" | "epochs" | "loss" | "lr" | "noise" | "noiseLevel" | "scale" | "unbounded"
>;

/** What {@linkcode fit} trains, on what, from where. */
export interface FitOptions {
  /** The model; `step` updates its weights. */
  autoencoder: Autoencoder;
  /** Its optimizer and step (`createTrainStep`). */
  step: TrainStep;
  /** Training set. */
  train: Dataset;
  /** Validation set, evaluated after every epoch; the best epoch is chosen on it (default none). */
  validation?: Dataset;
  /** Test set, evaluated after every epoch and reported only. */
  test: Dataset;
  /** Seed, batch size, epochs, the reconstruction loss's name, noise, pixel scale. */
  settings: FitSettings;
  /** The backend, whose name every epoch's metrics record. */
  backend: BackendChoice;
  /** Called as training goes (default none). */
  callbacks?: FitCallback[];
  /** Where to start: a checkpoint's state (default: nothing trained). */
  state?: TrainingState;
  /** The metrics of the epochs before `state.epoch` (default none). */
  metrics?: EpochMetrics[];
  /**
   * The data-parallel workers training with the main thread (`Replicas.start`,
   * over the same `train` set and model); default none: the main thread alone.
   */
  replicas?: Replicas;
  /** How many replicas train and why, for the log (default: one, the main thread). */
  workers?: WorkersChoice;
}

/** The phase an epoch belongs to. */
export interface PhaseInfo {
  /** Index in the model's phases. */
  index: number;
  /** Its name, e.g. `fine-tune` (`train` for a model with one phase). */
  name: string;
  /** How many phases the model has. */
  count: number;
  /** Whether it is the last phase, the one early stopping and the best epoch look at. */
  last: boolean;
}

/** {@linkcode FitCallback.onEpochBegin}'s news. */
export interface EpochBegin {
  /** The epoch about to run, 1-based, counted across phases. */
  epoch: number;
  /** Its phase. */
  phase: PhaseInfo;
  /** Optimizer steps it will take. */
  steps: number;
}

/** {@linkcode FitCallback.onBatchEnd}'s news. */
export interface BatchEnd {
  /** The epoch, 1-based. */
  epoch: number;
  /** The step just taken, 1-based. */
  step: number;
  /** Steps in the epoch. */
  steps: number;
  /** Images in the batch. */
  size: number;
  /**
   * The mean loss of the steps since the previous read, when a read has
   * landed since the last `onBatchEnd`, else `undefined`: losses stay on the
   * device and are read every `lossReadEvery` steps at most.
   */
  loss: number | undefined;
}

/** {@linkcode FitCallback.onEpochEnd}'s news. */
export interface EpochEnd {
  /** The epoch's metrics, as `metrics.jsonl` records them. */
  metrics: EpochMetrics;
  /** Its phase. */
  phase: PhaseInfo;
  /** Whether it reached the best validation loss so far (last phase, with a validation set, only). */
  best: boolean;
}

/** {@linkcode FitCallback.onTrainEnd}'s news. */
export interface TrainEnd {
  /** Why training stopped before its last epoch, if a callback stopped it. */
  stoppedBy?: string;
}

/** What a callback sees of the run: the model, the data, and where training stands. */
export interface FitRun {
  /** The model being trained. */
  readonly autoencoder: Autoencoder;
  /** Its optimizer and step. */
  readonly step: TrainStep;
  /** The training set. */
  readonly train: Dataset;
  /** The validation set, if the run has one. */
  readonly validation?: Dataset;
  /** The test set. */
  readonly test: Dataset;
  /** Makes batches of either set as the loop does (noise included). */
  readonly batches: Batches;
  /** Seed of the evaluation's draws and of figures, fixed for the run. */
  readonly evalSeed: number;
  /** The loop's settings. */
  readonly settings: FitSettings;
  /** The backend training runs on. */
  readonly backend: BackendChoice;
  /** How many replicas train (the main thread's included) and why. */
  readonly workers: WorkersChoice;
  /** The workers training and evaluating with the main thread, if there are some. */
  readonly replicas?: Replicas;
  /** Epochs over all phases. */
  readonly totalEpochs: number;
  /** The name of the loss the metrics report: `loss` for a model's own, else `bce`, `mse`, `l1`. */
  readonly lossName: string;
  /** Steps between the loop's asynchronous reads of the training loss: the least any callback asks for. */
  readonly lossReadEvery: number;
  /** Where training stands, updated after every epoch. */
  readonly state: TrainingState;
  /** Every epoch's metrics so far, earlier ones of a resumed run included. */
  readonly metrics: readonly EpochMetrics[];
  /** Ends training before the next epoch; `reason` reaches `onTrainEnd`. */
  stop(reason: string): void;
}

/**
 * Hooks into {@linkcode fit}; every one optional, awaited in the order the
 * callbacks were given.
 */
export interface FitCallback {
  /** Before the first epoch (of this call: a resumed run begins after its checkpoint). */
  onTrainBegin?(run: FitRun): void | Promise<void>;
  /** Before an epoch's first step; `run.stop` here skips it. */
  onEpochBegin?(epoch: EpochBegin, run: FitRun): void | Promise<void>;
  /**
   * Steps between reads of the training loss this callback wants in
   * `onBatchEnd` (default `Infinity`: the epoch's mean is enough). Reads are
   * asynchronous and never hold up a step; on WebGPU each costs a GPU sync.
   */
  readonly lossReadEvery?: number;
  /** After each optimizer step. */
  onBatchEnd?(batch: BatchEnd, run: FitRun): void | Promise<void>;
  /** After an epoch's evaluation, with `run.state` and `run.metrics` updated. */
  onEpochEnd?(epoch: EpochEnd, run: FitRun): void | Promise<void>;
  /** After the last epoch, or when a callback stopped training. */
  onTrainEnd?(end: TrainEnd, run: FitRun): void | Promise<void>;
}

/** What {@linkcode fit} returns. */
export interface FitResult {
  /** Where training ended. */
  state: TrainingState;
  /** Every epoch's metrics, earlier ones of a resumed run included. */
  metrics: EpochMetrics[];
  /** Why training stopped early, if it did. */
  stoppedBy?: string;
}

/**
 * Trains `options.autoencoder` through its phases up to the total of their
 * epochs, evaluating on the validation set (if given) and the test set after
 * every epoch and calling the callbacks; the best epoch is the one of least
 * validation loss (none without a validation set: the test set chooses
 * nothing). Resolves to the final state and every epoch's metrics.
 *
 * @example
 * ```ts
 * import { fit, type FitOptions } from "./fit.ts";
 * async function lastTestLoss(options: FitOptions): Promise<number | undefined> {
 *   const { metrics } = await fit({ ...options, callbacks: [] });
 *   return metrics.at(-1)?.test_loss;
 * }
 * ```
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { autoencoder: ae, step, train, validation, test, settings } = options;
  const phases = ae.phases ?? [{ name: "train", epochs: settings.epochs }];
  let stoppedBy: string | undefined;
  const metrics = [...options.metrics ?? []];
  const callbacks = options.callbacks ?? [];
  const run: FitRun = {
    autoencoder: ae,
    step,
    train,
    validation,
    test,
    batches: replicaBatches(ae, settings, train),
    evalSeed: deriveSeed(settings.seed, 0xe7a1),
    settings,
    backend: options.backend,
    workers: options.workers ?? { count: 1, mode: "replicas", reason: "the main thread alone" },
    replicas: options.replicas,
    totalEpochs: phases.reduce((n, p) => n + p.epochs, 0),
    // A model with its own loss (KL, penalties, cross-entropy) reports that, not the bare reconstruction.
    lossName: ae.loss || phases.some((p) => p.loss) ? "loss" : settings.loss,
    lossReadEvery: Math.min(Infinity, ...callbacks.map((cb) => cb.lossReadEvery ?? Infinity)),
    state: { ...options.state ?? { epoch: 0 } },
    metrics,
    stop: (reason) => void (stoppedBy ??= reason),
  };
  const notify = async (call: (cb: FitCallback) => void | Promise<void>) => {
    for (const cb of callbacks) await call(cb);
  };

  await notify((cb) => cb.onTrainBegin?.(run));
  const first = run.state.epoch;
  const replica: Replica = {
    autoencoder: ae,
    step,
    batches: run.batches,
    settings,
    exchange: options.replicas?.exchange,
  };
  let enter: { index: number; reset: boolean } | undefined;
  for (let epoch = first; epoch < run.totalEpochs && !stoppedBy; epoch++) {
    const phase = phaseAt(phases, epoch);
    if (epoch === first || epoch === phase.start) {
      enter = { index: phase.index, reset: epoch === phase.start };
      step.setPhase(enter.index, enter);
    }
    const steps = Math.ceil(train.count / settings.batchSize);
    await notify((cb) => cb.onEpochBegin?.({ epoch: epoch + 1, phase, steps }, run));
    if (stoppedBy) break;
    const workers = options.replicas?.epoch(epoch, steps, enter);
    enter = undefined;
    const trained = await trainEpoch(run, replica, epoch, steps, notify, workers);
    const m = await measure(run, epoch, phase, trained, replica.exchange?.profile);
    metrics.push(m);
    const best = phase.last && m.val_loss !== undefined &&
      (run.state.bestValLoss === undefined || m.val_loss < run.state.bestValLoss);
    Object.assign(run.state, {
      epoch: epoch + 1,
      ...(best && { bestValLoss: m.val_loss, bestEpoch: epoch + 1 }),
    });
    await notify((cb) => cb.onEpochEnd?.({ metrics: m, phase, best }, run));
  }
  await notify((cb) => cb.onTrainEnd?.({ stoppedBy }, run));
  return { state: { ...run.state }, metrics, stoppedBy };
}

/**
 * One pass over the training set in the epoch's seeded order, with the
 * workers' epoch (`workers`) when there are some: their profiles join the
 * result, and a failure of theirs is what the epoch throws.
 */
async function trainEpoch(
  run: FitRun,
  replica: Replica,
  epoch: number,
  steps: number,
  notify: (call: (cb: FitCallback) => void | Promise<void>) => Promise<void>,
  workers?: Promise<WorkerEpoch[]>,
): Promise<{ loss: number; seconds: number; workers?: WorkerEpoch[] }> {
  try {
    const trained = await trainSteps(run, replica, epoch, steps, notify);
    return { ...trained, ...(workers && { workers: await workers }) };
  } catch (e) {
    if (!workers) throw e;
    replica.exchange!.fail();
    const failure = await workers.then(() => undefined, (w: Error) => w);
    throw e instanceof ReplicaFailed && failure ? failure : e;
  }
}

async function trainSteps(
  run: FitRun,
  replica: Replica,
  epoch: number,
  steps: number,
  notify: (call: (cb: FitCallback) => void | Promise<void>) => Promise<void>,
): Promise<{ loss: number; seconds: number }> {
  const { train, settings } = run;
  if (replica.exchange) replica.exchange.profile = emptyProfile();
  const order = batchOrder(train.count, { seed: settings.seed, epoch });
  let read: number | undefined;
  const meter = new LossMeter({
    label: `epoch ${epoch + 1}`,
    readEvery: run.lossReadEvery,
    onProgress: (_, loss) => void (read = loss),
  });
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    const idx = order.subarray(s * settings.batchSize, (s + 1) * settings.batchSize);
    const loss = trainStepOn(replica, train, idx, epoch, s);
    await meter.add(loss, idx.length);
    const news = { epoch: epoch + 1, step: s + 1, steps, size: idx.length, loss: read };
    read = undefined;
    await notify((cb) => cb.onBatchEnd?.(news, run));
  }
  return { loss: await meter.mean(), seconds: (performance.now() - t0) / 1000 };
}

/** The epoch's metrics: the training loss, the validation loss, the test set's loss and metrics, timings. */
async function measure(
  run: FitRun,
  epoch: number,
  phase: PhaseInfo,
  trained: { loss: number; seconds: number; workers?: WorkerEpoch[] },
  profile?: StepProfile,
): Promise<EpochMetrics> {
  const t1 = performance.now();
  const evaluateOn = async (data: Dataset, name: string) => {
    const options = {
      batches: run.batches,
      step: run.step,
      autoencoder: run.autoencoder,
      seed: run.evalSeed,
    };
    const evaluation = run.replicas
      ? await run.replicas.evaluate(data, options)
      : await evaluate(data, options);
    if (!Number.isFinite(evaluation.loss)) {
      throw new UserError(
        `epoch ${epoch + 1}: the ${name} loss became ${evaluation.loss} ` +
          "(lower the learning rate, or check the data for NaN)",
      );
    }
    return evaluation;
  };
  const validation = run.validation && await evaluateOn(run.validation, "validation");
  const evaluation = await evaluateOn(run.test, "test");
  return {
    epoch: epoch + 1,
    ...(phase.count > 1 && { phase: phase.name }),
    train_loss: trained.loss,
    ...(validation && { val_loss: validation.loss }),
    test_loss: evaluation.loss,
    ...evaluation.metrics,
    ...bestAccuracies(evaluation.metrics, run.metrics),
    epoch_s: round(trained.seconds),
    eval_s: round((performance.now() - t1) / 1000),
    images_per_s: Math.round(run.train.count / trained.seconds),
    backend: run.backend.name,
    ...memoryUse(),
    ...(run.workers.count > 1 && { workers: run.workers.count, parallel: run.workers.mode }),
    ...(trained.workers && profile && {
      worker_num_tensors: trained.workers.reduce((n, w) => n + w.numTensors, 0),
      workers_profile: profileLine([profile, ...trained.workers.map((w) => w.profile)]),
    }),
  };
}

/**
 * Where each replica's step time went, e.g. `main compute 9.1 s exchange
 * 0.2 s update 0.3 s idle 1.2 s; worker 1 ...`: computing its slice's
 * gradients, copying and summing them, the optimizer update, and waiting
 * for the others.
 */
function profileLine(profiles: StepProfile[]): string {
  return profiles.map((p, rank) => {
    // Per step: a step's parts are a few milliseconds, an epoch's seconds hide them.
    const ms = (total: number) => (total / Math.max(1, p.steps)).toFixed(2);
    return `${rank ? `worker ${rank}` : "main"} ms/step: compute ${ms(p.compute)} ` +
      `exchange ${ms(p.exchange)} update ${ms(p.update)} idle ${ms(p.idle)}`;
  }).join("; ");
}

function memoryUse(): { num_tensors: number; num_bytes: number; gpu_bytes?: number } {
  const memory = tf.memory() as tf.MemoryInfo & { numBytesAllocatedInGPU?: number };
  const gpu = memory.numBytesAllocatedInGPU;
  return {
    num_tensors: memory.numTensors,
    num_bytes: memory.numBytes,
    ...(gpu !== undefined && { gpu_bytes: gpu }),
  };
}

/** The phase epoch `epoch` (0-based) belongs to, and the epoch it starts at. */
function phaseAt(phases: TrainingPhase[], epoch: number): PhaseInfo & { start: number } {
  let start = 0;
  for (let index = 0; index < phases.length; index++) {
    const last = index === phases.length - 1;
    if (epoch < start + phases[index].epochs || last) {
      return { index, start, name: phases[index].name, count: phases.length, last };
    }
    start += phases[index].epochs;
  }
  throw new Error("a model must have at least one training phase");
}

/** `best_<name>`: the highest of each accuracy so far. */
function bestAccuracies(
  current: Record<string, number>,
  previous: readonly EpochMetrics[],
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(current).filter(([k]) => k.endsWith("accuracy")).map(([k, v]) => [
      `best_${k}`,
      Math.max(v, ...previous.map((m) => m[k]).filter((x): x is number => typeof x === "number")),
    ]),
  );
}

function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}
