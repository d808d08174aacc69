/**
 * The training loop every model shares: data, backend, model, optimizer,
 * per-epoch evaluation, checkpoints, metrics, figures, and resuming.
 * Models plug in through the hooks of `Autoencoder` (their own loss, test
 * metrics, per-epoch figures, training phases); the loop adds what any model
 * may use: input noise (with test PSNRs), seeded dropout, early stopping.
 * Every random draw derives from the run's seed and the epoch (and step), so
 * a resumed run equals an uninterrupted one.
 *
 * ```ts
 * import { train } from "./loop.ts";
 * const result = await train({ model: "conv", epochs: 1, trainSize: 2000, testSize: 500, out: "runs/quick" });
 * console.log(result.metrics.at(-1)?.val_loss);
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { type BackendChoice, type BackendRequest, initBackend } from "../backend/backend.ts";
import { loadMnist } from "../data/mnist.ts";
import { batchOrder, type Dataset } from "../data/dataset.ts";
import { Batches } from "./batches.ts";
import { getModel } from "../models/registry.ts";
import type { Autoencoder, ModelDefaults, NoiseName, TrainingPhase } from "../models/model.ts";
import { deriveSeed } from "../random.ts";
import { readMetrics, readRunRecord, RunFolderError, writeRunRecord } from "./run_folder.ts";
import { PermissionError } from "../io/permissions.ts";
import { createTrainStep, type TrainStep } from "./step.ts";
import { LossMeter } from "./loss_meter.ts";
import {
  loadCheckpoint,
  loadNetworkWeights,
  saveCheckpoint,
  type TrainingState,
} from "./checkpoint.ts";
import { modelSummary } from "./summary.ts";
import { formatSeconds, Progress } from "./progress.ts";
import { ensureDir, writeFileAtomic } from "../io/atomic.ts";
import { lineChart } from "../plot/line_chart.ts";
import { imageGrid } from "../plot/image_grid.ts";

/** Settings every model takes, with their defaults. */
export interface CommonSettings {
  /** Dropout rate after every hidden layer (default 0: none). */
  dropout: number;
  /** Stop when the test loss has not improved for this many epochs, keeping the best (default 0: never). */
  earlyStopping: number;
  /** Corrupt training inputs (default `none`, the denoising AE's own otherwise). */
  noise: NoiseName;
  /** Strength of the corruption: gaussian sigma, or the fraction of pixels masked / salted. */
  noiseLevel: number;
}

const COMMON: CommonSettings = { dropout: 0, earlyStopping: 0, noise: "none", noiseLevel: 0 };

/** Options for {@linkcode train}; unset hyper-parameters take the model's defaults. */
export interface TrainOptions extends Partial<ModelDefaults>, Partial<CommonSettings> {
  /** Model name from the zoo, e.g. `conv`. */
  model: string;
  /** Seed of initialisation, data order and subsets (default 0). */
  seed?: number;
  /** Backend (default `auto`). */
  backend?: BackendRequest;
  /** Folder of the four IDX files (default: the packaged MNIST). */
  data?: string;
  /** Run folder (default `runs/<model>-<timestamp>`). */
  out?: string;
  /** Keep a seeded subset of the training set (default: all). */
  trainSize?: number;
  /** Keep a seeded subset of the test set (default: all). */
  testSize?: number;
  /** Train on these classes only, e.g. `[3]` for the one-class protocol (default: all); the test set keeps all. */
  trainClasses?: number[];
  /** Leave these classes out of training (default: none); the test set keeps all. */
  excludeClasses?: number[];
  /** Print no progress bar (default false). */
  quiet?: boolean;
  /** Where log lines go (default: `console.log`). */
  log?: (line: string) => void;
}

/** Options of {@linkcode resume}. */
export interface ResumeOptions {
  /** Train up to this many epochs in all (default: the run's own setting). */
  epochs?: number;
  /** Backend for the rest of the run (default: the one it used). */
  backend?: BackendRequest;
  /** Print no progress bar, one line per epoch instead (default false). */
  quiet?: boolean;
  /** Where log lines go (default: `console.log`). */
  log?: (line: string) => void;
}

/** One line of `metrics.jsonl`. */
export interface EpochMetrics {
  /** Epochs completed, 1-based and counted across training phases. */
  epoch: number;
  /** Mean loss over the epoch's training batches (the model's own loss if it has one). */
  train_loss: number;
  /** The same loss over the whole test set after the epoch, with dropout off. */
  val_loss: number;
  /** Seconds of the epoch's training steps. */
  epoch_s: number;
  /** Seconds of the test-set evaluation that followed. */
  eval_s: number;
  /** Training images per second, over `epoch_s`. */
  images_per_s: number;
  /** The backend that ran it: `webgpu`, `wasm` or `cpu`. */
  backend: string;
  /** Live tfjs tensors after the epoch; growth between epochs means a leak. */
  num_tensors: number;
  /** Extras: the model's test metrics, `best_*accuracy`, `psnr_*` with noise, `phase`. */
  [extra: string]: number | string;
}

/** The settings a run was made with: written to `config.json` and read back by `--resume`. */
export interface RunConfig extends Omit<ModelDefaults, keyof CommonSettings>, CommonSettings {
  /** Model name from the zoo. */
  model: string;
  /** Seed of every random draw: weights, data order, subsets, noise, dropout. */
  seed: number;
  /** The backend asked for (`auto` chooses again when the run is resumed). */
  backend: BackendRequest;
  /** Folder of the IDX files, or `null` for the packaged MNIST. */
  data: string | null;
  /** Size of the seeded training subset, or `null` for all of it. */
  trainSize: number | null;
  /** Size of the seeded test subset, or `null` for all of it. */
  testSize: number | null;
  /** The only classes trained on, or `null` for all (absent in runs made before the option). */
  trainClasses?: number[] | null;
  /** The classes left out of training, or `null` for none (absent in older runs). */
  excludeClasses?: number[] | null;
}

/** What {@linkcode train} returns. */
export interface TrainResult {
  /** The run folder: `config.json`, `metrics.jsonl`, checkpoint and figures. */
  runDir: string;
  /** The settings the run used, as written to `config.json`. */
  config: RunConfig;
  /** The backend that trained it, and why it was chosen. */
  backend: BackendChoice;
  /** One entry per epoch, earlier epochs of a resumed run included. */
  metrics: EpochMetrics[];
  /** The trained model; with early stopping on, it holds the best epoch's weights. */
  autoencoder: Autoencoder;
  /** Where training ended: epochs done, best test loss and its epoch. */
  state: TrainingState;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/** The full settings of a new run: options over the model's defaults. */
export function resolveConfig(options: TrainOptions): RunConfig {
  const spec = getModel(options.model);
  const defaults = { ...COMMON, ...spec.defaults };
  const given = Object.fromEntries(
    (Object.keys(defaults) as (keyof typeof defaults)[])
      .filter((k) => options[k] !== undefined).map((k) => [k, options[k]]),
  );
  return {
    model: spec.name,
    ...defaults,
    ...given,
    seed: options.seed ?? 0,
    backend: options.backend ?? "auto",
    data: options.data ?? null,
    trainSize: options.trainSize ?? null,
    testSize: options.testSize ?? null,
    trainClasses: options.trainClasses ?? null,
    excludeClasses: options.excludeClasses ?? null,
  };
}

/**
 * Trains a model of the zoo into a new run folder, writing after every epoch
 * a line of `metrics.jsonl`, a checkpoint, `loss.png`, `reconstructions.png`
 * and the model's own figures; with early stopping, the best epoch is kept
 * in `best/` and its weights are the ones returned.
 *
 * @example
 * ```ts
 * const { metrics } = await train({ model: "conv", epochs: 1, seed: 0 });
 * ```
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const config = resolveConfig(options);
  const runDir = options.out ?? `runs/${config.model}-${timestamp()}`;
  // An unreadable folder is not checked here: writing to it fails below with the flags to grant.
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
  return await run(runDir, config, undefined, options);
}

/**
 * Continues the run in `runDir` from its last complete epoch, with the same
 * data order, noise and optimizer state an uninterrupted run would have had.
 *
 * @example
 * ```ts
 * await resume("runs/conv-20261122-101500", { epochs: 20 });
 * ```
 */
export async function resume(runDir: string, options: ResumeOptions = {}): Promise<TrainResult> {
  const config: RunConfig = { ...(await readRunRecord(runDir)).config };
  if (options.epochs !== undefined) config.epochs = options.epochs;
  if (options.backend !== undefined) config.backend = options.backend;
  return await run(runDir, config, runDir, options);
}

async function run(
  runDir: string,
  config: RunConfig,
  resumeFrom: string | undefined,
  options: { quiet?: boolean; log?: (line: string) => void },
): Promise<TrainResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const backend = await initBackend({ backend: config.backend });
  log(`backend: ${backend.name} (${backend.reason})`);

  const { train: trainSet, test: testSet } = await loadMnist({
    dir: config.data ?? undefined,
    scale: config.scale,
    trainSize: config.trainSize ?? undefined,
    testSize: config.testSize ?? undefined,
    seed: config.seed,
    trainClasses: config.trainClasses ?? undefined,
    excludeClasses: config.excludeClasses ?? undefined,
  });
  const classes = config.trainClasses
    ? ` (classes ${config.trainClasses.join(",")} only)`
    : config.excludeClasses
    ? ` (without classes ${config.excludeClasses.join(",")})`
    : "";
  log(
    `data: ${trainSet.count} train${classes} / ${testSet.count} test images, ${trainSet.height}x${trainSet.width}`,
  );

  const spec = getModel(config.model);
  const ae = spec.build(config);
  log(modelSummary(ae));
  const trainer = createTrainStep(ae, config);
  const optimizer = trainer.optimizer;
  const phases = ae.phases ?? [{ name: "train", epochs: config.epochs }];
  const totalEpochs = phases.reduce((n, p) => n + p.epochs, 0);

  await ensureDir(runDir);
  let state: TrainingState = { epoch: 0 };
  let metrics: EpochMetrics[] = [];
  if (resumeFrom) {
    state = await loadCheckpoint(runDir, { network: ae.network, optimizer });
    metrics = (await readMetrics(runDir)).slice(0, state.epoch);
    log(`resuming ${runDir} after epoch ${state.epoch}`);
  }
  await writeRunRecord(runDir, config, backend);

  const batches = new Batches(
    ae.inputShape,
    config,
    trainSet.height * trainSet.width,
    ae.usesLabels,
  );
  const evalSeed = deriveSeed(config.seed, 0xe7a1);
  // A model with its own loss (KL, penalties, cross-entropy) reports that, not the bare reconstruction.
  const lossName = ae.loss ? "loss" : config.loss;
  const patience = config.earlyStopping;
  for (let epoch = state.epoch; epoch < totalEpochs; epoch++) {
    const phase = phaseAt(phases, epoch);
    const lastPhase = phase.index === phases.length - 1;
    if (epoch === state.epoch || epoch === phase.start) {
      trainer.setPhase(phase.index, { reset: epoch === phase.start });
    }
    if (patience > 0 && lastPhase && state.bestEpoch && epoch - state.bestEpoch >= patience) {
      log(
        `early stopping after epoch ${epoch}: no better test loss in ${patience} epochs ` +
          `(best ${state.bestValLoss?.toFixed(4)} at epoch ${state.bestEpoch})`,
      );
      break;
    }
    const order = batchOrder(trainSet.count, { seed: config.seed, epoch });
    const steps = Math.ceil(trainSet.count / config.batchSize);
    const bar = new Progress({
      label: `epoch ${epoch + 1}/${totalEpochs}${phases.length > 1 ? ` (${phase.name})` : ""}`,
      total: steps,
      batchSize: config.batchSize,
      quiet: options.quiet,
    });
    const t0 = performance.now();
    // Losses stay on the device; only the progress bar reads mid-epoch, asynchronously.
    const meter = new LossMeter({
      label: `epoch ${epoch + 1}`,
      readEvery: bar.drawing ? PROGRESS_READ_EVERY : Infinity,
      onProgress: (step, loss) => bar.update(step, loss),
    });
    for (let step = 0; step < steps; step++) {
      const idx = order.subarray(step * config.batchSize, (step + 1) * config.batchSize);
      const batch = batches.make(trainSet, idx, deriveSeed(config.seed, 0x9015e, epoch));
      const loss = trainer.run(batch.input, {
        ...batch,
        seed: deriveSeed(config.seed, 0x57e9, epoch, step),
      });
      batches.dispose(batch);
      await meter.add(loss, idx.length);
    }
    const trainLoss = await meter.mean();
    const epochS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const evaluation = await evaluate(testSet, batches, trainer, ae, evalSeed);
    const m: EpochMetrics = {
      epoch: epoch + 1,
      ...(phases.length > 1 && { phase: phase.name }),
      train_loss: trainLoss,
      val_loss: evaluation.loss,
      ...evaluation.metrics,
      ...bestAccuracies(evaluation.metrics, metrics),
      epoch_s: round(epochS),
      eval_s: round((performance.now() - t1) / 1000),
      images_per_s: Math.round(trainSet.count / epochS),
      backend: backend.name,
      num_tensors: tf.memory().numTensors,
    };
    const extras = Object.entries(evaluation.metrics).map(([k, v]) => `  ${k} ${v.toFixed(4)}`)
      .join("");
    bar.finish(
      `train ${lossName} ${m.train_loss.toFixed(4)}  test ${lossName} ${
        m.val_loss.toFixed(4)
      }${extras}  ${m.images_per_s} img/s`,
    );
    metrics.push(m);
    const best = lastPhase && (state.bestValLoss === undefined || m.val_loss < state.bestValLoss);
    state = {
      epoch: epoch + 1,
      bestValLoss: best ? m.val_loss : state.bestValLoss,
      bestEpoch: best ? epoch + 1 : state.bestEpoch,
    };
    // The checkpoint goes last: it is what --resume trusts, so everything it
    // implies (this epoch's metrics line, the best weights) must exist first.
    await writeFileAtomic(
      `${runDir}/metrics.jsonl`,
      metrics.map((r) => JSON.stringify(r)).join("\n") + "\n",
    );
    if (best && patience > 0) {
      await saveCheckpoint(runDir, { network: ae.network, optimizer, state }, { folder: "best" });
    }
    await saveCheckpoint(runDir, { network: ae.network, optimizer, state });
    await writeFigures(runDir, config, metrics, ae, testSet, batches, evalSeed);
    if (ae.artifacts) {
      const files = await ae.artifacts({
        test: testSet,
        toTensor: (images) => batches.tensor(images),
        seed: evalSeed,
        scale: config.scale,
      });
      for (const [name, bytes] of Object.entries(files)) {
        await writeFileAtomic(`${runDir}/${name}`, bytes);
      }
    }
    if (options.quiet) {
      log(
        `epoch ${m.epoch}/${totalEpochs}: train ${m.train_loss.toFixed(4)} test ${
          m.val_loss.toFixed(4)
        }${extras} (${formatSeconds(epochS)})`,
      );
    }
  }
  if (patience > 0 && state.bestEpoch !== undefined && state.bestEpoch < state.epoch) {
    await loadNetworkWeights(runDir, ae.network, { folder: "best" });
    log(`kept the best epoch, ${state.bestEpoch} (test loss ${state.bestValLoss?.toFixed(4)})`);
  }
  return { runDir, config, backend, metrics, autoencoder: ae, state };
}

/** Steps between the progress bar's asynchronous loss reads. */
const PROGRESS_READ_EVERY = 10;

/** The phase epoch `epoch` (0-based) belongs to, and the epoch it starts at. */
function phaseAt(phases: TrainingPhase[], epoch: number) {
  let start = 0;
  for (let index = 0; index < phases.length; index++) {
    if (epoch < start + phases[index].epochs || index === phases.length - 1) {
      return { index, start, name: phases[index].name };
    }
    start += phases[index].epochs;
  }
  throw new Error("a model must have at least one training phase");
}

/** `best_<name>`: the highest of each accuracy so far. */
function bestAccuracies(
  current: Record<string, number>,
  previous: EpochMetrics[],
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

/** Mean loss and model metrics over a dataset, in batches of 1000, weighted by batch size. */
async function evaluate(
  data: Dataset,
  batches: Batches,
  trainer: TrainStep,
  ae: Autoencoder,
  seed: number,
): Promise<{ loss: number; metrics: Record<string, number> }> {
  const size = 1000;
  let loss = 0;
  const sums: Record<string, number> = {};
  for (let start = 0; start < data.count; start += size) {
    const n = Math.min(size, data.count - start);
    const idx = Uint32Array.from({ length: n }, (_, i) => start + i);
    const batch = batches.make(data, idx, deriveSeed(seed, 0x9015e));
    const extras = { ...batch, seed: deriveSeed(seed, start) };
    const values = tf.tidy(() => ({
      loss: trainer.loss(batch.input, false, extras),
      ...trainer.metrics(batch.input, extras),
      ...(batch.target && {
        psnr_noisy: psnr(batch.input, batch.target, batches.range),
        psnr_denoised: psnr(reconstruct(ae, batch.input), batch.target, batches.range),
      }),
    }));
    batches.dispose(batch);
    for (const [k, t] of Object.entries(values)) {
      sums[k] = (sums[k] ?? 0) + (await t.data())[0] * n;
    }
    tf.dispose(values);
  }
  const { loss: total, ...rest } = sums;
  loss = total / data.count;
  return {
    loss,
    metrics: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v / data.count])),
  };
}

/** Mean over the batch of each image's PSNR (dB) against its target; `range` is the pixel range. */
function psnr(images: tf.Tensor, targets: tf.Tensor, range: number): tf.Scalar {
  return tf.tidy(() => {
    const axes = images.shape.slice(1).map((_, i) => i + 1);
    const mse = tf.maximum(tf.mean(tf.square(tf.sub(images, targets)), axes), 1e-10);
    return tf.mean(tf.mul(10 / Math.LN10, tf.log(tf.div(range * range, mse)))) as tf.Scalar;
  });
}

/** The reconstruction of a batch, in evaluation mode. */
function reconstruct(ae: Autoencoder, input: tf.Tensor): tf.Tensor {
  return ae.reconstruct
    ? ae.reconstruct(input, false)
    : ae.network.apply(input, { training: false }) as tf.Tensor;
}

async function writeFigures(
  runDir: string,
  config: RunConfig,
  metrics: EpochMetrics[],
  ae: Autoencoder,
  testSet: Dataset,
  batches: Batches,
  evalSeed: number,
): Promise<void> {
  const epochs = metrics.map((m) => m.epoch);
  await writeFileAtomic(
    `${runDir}/loss.png`,
    lineChart([
      { name: "train", x: epochs, y: metrics.map((m) => m.train_loss) },
      { name: "test", x: epochs, y: metrics.map((m) => m.val_loss) },
    ], {
      title: `${config.model}: ${ae.loss ? "" : `${config.loss} `}loss`,
      xLabel: "epoch",
      yLabel: ae.loss ? "loss" : config.loss,
    }),
  );
  const n = Math.min(10, testSet.count);
  const batch = batches.make(
    testSet,
    Uint32Array.from({ length: n }, (_, i) => i),
    deriveSeed(evalSeed, 0x9015e),
  );
  const recon = tf.tidy(() => reconstruct(ae, batch.input));
  const images = await Promise.all(
    [batch.target ?? batch.input, ...(batch.target ? [batch.input] : []), recon].map(async (t) =>
      (await t.data()) as Float32Array
    ),
  );
  batches.dispose(batch);
  recon.dispose();
  await writeFileAtomic(
    `${runDir}/reconstructions.png`,
    imageGrid(images, {
      height: testSet.height,
      width: testSet.width,
      labels: batch.target ? ["clean", "noisy", "denoised"] : ["original", "reconstructed"],
      symmetric: config.scale === "symmetric",
    }),
  );
}
