/**
 * The callbacks `train()` installs around the fit loop: the run-folder
 * writer, early stopping, the progress bar and the log lines. A library user
 * picks any of them, adds their own, or passes none.
 *
 * ```ts
 * import { EarlyStopping, ProgressBar } from "./callbacks.ts";
 * import { train } from "./train.ts";
 * const { metrics } = await train({
 *   model: "conv",
 *   epochs: 20,
 *   callbacks: [new EarlyStopping({ patience: 3 }), new ProgressBar()],
 * });
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { deriveSeed } from "../random.ts";
import { lineChart } from "../plot/line_chart.ts";
import { samplesFigure } from "../plot/samples_figure.ts";
import { className } from "../plot/scatter.ts";
import {
  RUN_FILES,
  saveCheckpoint,
  writeMetrics,
  writeRunFile,
  writeRunRecord,
} from "../run/run_folder.ts";
import type { BackendChoice } from "../backend/backend.ts";
import type { RunConfig } from "./config.ts";
import type { BatchEnd, EpochBegin, EpochEnd, FitCallback, FitRun, TrainEnd } from "./fit.ts";
import { modelSummary } from "./summary.ts";
import { sampleShape } from "./input_shape.ts";
import { formatSeconds, Progress } from "../cli/progress.ts";
import { UserError } from "../errors.ts";

/**
 * Writes the run folder: `config.json` before the first epoch, then after
 * every epoch `metrics.jsonl`, the best epoch's checkpoint (with early
 * stopping on), the checkpoint, `loss.png`, `reconstructions.png` and the
 * model's own figures.
 */
export class RunFolderWriter implements FitCallback {
  /** The epoch of the last checkpoint in the folder (`0`: none yet). */
  savedEpoch = 0;

  /**
   * A writer into `runDir` of the run `config` describes, trained on `backend`.
   *
   * @param runDir The run folder.
   * @param config The settings `config.json` records.
   * @param backend The backend the run trains on.
   */
  constructor(
    readonly runDir: string,
    readonly config: RunConfig,
    readonly backend: BackendChoice,
  ) {}

  /** Writes `config.json`. */
  async onTrainBegin(run: FitRun): Promise<void> {
    this.savedEpoch = run.state.epoch;
    await writeRunRecord(this.runDir, this.config, this.backend);
  }

  /** Writes the epoch's metrics, checkpoints and figures. */
  async onEpochEnd({ best }: EpochEnd, run: FitRun): Promise<void> {
    const { runDir } = this;
    const ae = run.autoencoder;
    const parts = { parameters: ae.parameters, optimizer: run.step.optimizer, state: run.state };
    // The checkpoint goes last: it is what --resume trusts, so everything it
    // implies (this epoch's metrics line, the best weights) must exist first.
    await writeMetrics(runDir, run.metrics);
    if (best && this.config.earlyStopping > 0) {
      await saveCheckpoint(runDir, parts, { folder: RUN_FILES.best });
    }
    await saveCheckpoint(runDir, parts);
    this.savedEpoch = run.state.epoch;
    await writeRunFile(runDir, RUN_FILES.lossChart, this.#lossChart(run));
    await writeRunFile(runDir, RUN_FILES.reconstructions, await this.#reconstructions(run));
    if (ae.artifacts) {
      const files = await ae.artifacts({
        test: run.test,
        toTensor: (images) => run.batches.tensor(images),
        seed: run.evalSeed,
        scale: this.config.scale,
      });
      for (const [name, bytes] of Object.entries(files)) await writeRunFile(runDir, name, bytes);
    }
  }

  #lossChart(run: FitRun): Uint8Array {
    const { metrics, lossName } = run;
    const epochs = metrics.map((m) => m.epoch);
    const validated = metrics.filter((m) => m.val_loss !== undefined);
    return lineChart([
      { name: "train", x: epochs, y: metrics.map((m) => m.train_loss) },
      ...(validated.length
        ? [{
          name: "validation",
          x: validated.map((m) => m.epoch),
          y: validated.map((m) => m.val_loss!),
        }]
        : []),
      { name: "test", x: epochs, y: metrics.map((m) => m.test_loss) },
    ], {
      title: `${this.config.model}: ${lossName === "loss" ? "" : `${lossName} `}loss`,
      xLabel: "epoch",
      yLabel: lossName,
    });
  }

  async #reconstructions(run: FitRun): Promise<Uint8Array> {
    const { test, batches } = run;
    const n = Math.min(test.kind === "table" ? 4 : 10, test.count);
    const batch = batches.make(
      test,
      Uint32Array.from({ length: n }, (_, i) => i),
      deriveSeed(run.evalSeed, 0x9015e),
    );
    const recon = tf.tidy(() => run.autoencoder.reconstruct(batch.input, false));
    const rows = [batch.target ?? batch.input, ...(batch.target ? [batch.input] : []), recon];
    const images = await Promise.all(rows.map(async (t) => (await t.data()) as Float32Array));
    batches.dispose(batch);
    recon.dispose();
    return samplesFigure(images, test, {
      names: batch.target ? ["clean", "noisy", "denoised"] : ["original", "reconstructed"],
      symmetric: this.config.scale === "symmetric",
      titles: Array.from(
        { length: n },
        (_, i) => `test sample ${i} (${className(test.labels[i], test.classNames)})`,
      ),
    });
  }
}

/** Options of {@linkcode EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** Epochs without a better validation loss (in the last phase) before training stops. */
  patience: number;
  /**
   * Loads the best epoch's weights back at the end; by default the callback
   * keeps a copy of them in memory (a run folder's `best/` checkpoint serves
   * resumed runs, whose best epoch may predate this process).
   */
  restoreBest?: (run: FitRun) => Promise<void>;
  /** Where its two lines go (default: none). */
  log?: (line: string) => void;
}

/**
 * Stops training when the validation loss has not improved for `patience`
 * epochs of the last phase, and restores the best epoch's weights at the
 * end. It needs a validation set: the test set chooses nothing.
 */
export class EarlyStopping implements FitCallback {
  #best: tf.Tensor[] | undefined;

  /**
   * Early stopping with `options.patience`.
   *
   * @param options Patience, how to restore, where to log.
   */
  constructor(readonly options: EarlyStoppingOptions) {}

  /** Refuses a run without a validation set. */
  onTrainBegin(run: FitRun): void {
    if (!run.validation) {
      throw new UserError(
        "early stopping selects on a validation set, and this run has none " +
          "(--val-split, or fit's `validation`); the test set is never used to choose",
      );
    }
  }

  /** Stops before an epoch once patience has run out. */
  onEpochBegin({ phase }: EpochBegin, run: FitRun): void {
    const { state } = run;
    const { patience } = this.options;
    if (phase.last && state.bestEpoch && state.epoch - state.bestEpoch >= patience) {
      run.stop(
        `early stopping after epoch ${state.epoch}: no better validation loss in ${patience} epochs ` +
          `(best ${state.bestValLoss?.toFixed(4)} at epoch ${state.bestEpoch})`,
      );
    }
  }

  /** Keeps the best epoch's weights, unless a run folder does. */
  onEpochEnd({ best }: EpochEnd, run: FitRun): void {
    if (!best || this.options.restoreBest) return;
    tf.dispose(this.#best ?? []);
    this.#best = run.autoencoder.parameters.getWeights().map((w) => w.clone());
  }

  /** Says why training stopped, and puts the best epoch's weights back. */
  async onTrainEnd({ stoppedBy }: TrainEnd, run: FitRun): Promise<void> {
    const log = this.options.log ?? (() => {});
    if (stoppedBy) log(stoppedBy);
    const { bestEpoch, bestValLoss, epoch } = run.state;
    if (bestEpoch !== undefined && bestEpoch < epoch) {
      if (this.options.restoreBest) await this.options.restoreBest(run);
      else if (this.#best) run.autoencoder.parameters.setWeights(this.#best);
      log(`kept the best epoch, ${bestEpoch} (validation loss ${bestValLoss?.toFixed(4)})`);
    }
    tf.dispose(this.#best ?? []);
    this.#best = undefined;
  }
}

/** Options of {@linkcode ProgressBar}. */
export interface ProgressBarOptions {
  /** Redraw the bar in place as steps go (default: whether stderr is a terminal). */
  live?: boolean;
  /** Where it is written (default: stderr). */
  write?: (text: string) => void;
}

/** Steps between the live bar's asynchronous loss reads. */
const PROGRESS_READ_EVERY = 10;

/**
 * The per-epoch progress bar on stderr (see `Progress`), ending with the
 * epoch's summary; a live bar reads the loss every 10 steps, asynchronously.
 */
export class ProgressBar implements FitCallback {
  #bar: Progress | undefined;
  #loss = NaN;
  readonly #live: boolean;
  /** Every 10 steps on a live bar; otherwise only the epoch's mean is shown. */
  readonly lossReadEvery: number;

  /**
   * A bar drawn as `options` say.
   *
   * @param options Live or one line per epoch, and where to.
   */
  constructor(readonly options: ProgressBarOptions = {}) {
    this.#live = options.live ?? Deno.stderr.isTerminal();
    this.lossReadEvery = this.#live ? PROGRESS_READ_EVERY : Infinity;
  }

  /** Starts the epoch's bar. */
  onEpochBegin({ epoch, phase, steps }: EpochBegin, run: FitRun): void {
    this.#bar = new Progress({
      label: `epoch ${epoch}/${run.totalEpochs}${phase.count > 1 ? ` (${phase.name})` : ""}`,
      total: steps,
      batchSize: run.settings.batchSize,
      live: this.#live,
      ...(this.options.write && { write: this.options.write }),
    });
  }

  /** Advances it, with the last loss read. */
  onBatchEnd({ step, loss }: BatchEnd): void {
    if (loss !== undefined) this.#loss = loss;
    this.#bar?.update(step, Number.isNaN(this.#loss) ? "loss ?" : this.#loss);
  }

  /** Ends it with the epoch's losses, metrics and throughput. */
  onEpochEnd({ metrics: m }: EpochEnd, run: FitRun): void {
    this.#bar?.finish(`${losses(m, run.lossName)}${extras(m)}  ${m.images_per_s} img/s`);
  }
}

/** Options of {@linkcode TrainLog}. */
export interface TrainLogOptions {
  /** Where lines go (default `console.log`). */
  log?: (line: string) => void;
  /** Also one line per epoch, for runs without a progress bar (default false). */
  epochs?: boolean;
  /** The run folder a resumed run continues, named in its first lines. */
  resumed?: string;
  /** Which classes the training set holds, when not all, e.g. `classes 3 only`. */
  classes?: string;
  /** What the data was read from and how, when not IDX (shape, dtype, layout, scaling, test split). */
  source?: string;
  /** How the inputs were scaled, in words (`describeScaling`), ending the data line. */
  scaling?: string;
}

/** Log lines: the backend, data and model before training, and one line per epoch if asked. */
export class TrainLog implements FitCallback {
  readonly #log: (line: string) => void;
  #t0 = 0;

  /**
   * Log lines as `options` asks.
   *
   * @param options Where lines go, and which.
   */
  constructor(readonly options: TrainLogOptions = {}) {
    this.#log = options.log ?? ((line) => console.log(line));
  }

  /** The backend, the data, the model and, when resuming, from where. */
  onTrainBegin(run: FitRun): void {
    const { train, validation, test, backend } = run;
    this.#log(`backend: ${backend.name} (${backend.reason})`);
    this.#log(`workers: ${run.workers.count} (${run.workers.reason})`);
    if (this.options.source) this.#log(`source: ${this.options.source}`);
    const classes = this.options.classes ? ` (${this.options.classes})` : "";
    const held = validation
      ? ` / ${validation.count} validation (a seeded ${
        Math.round(1000 * validation.count / (validation.count + train.count)) / 10
      }% of the training data)`
      : "";
    const shape = sampleShape(train);
    this.#log(
      `data: ${train.count} train${classes}${held} / ${test.count} test ` +
        (shape.length === 1 ? `rows, ${shape[0]} features` : `images, ${shape.join("x")}`) +
        (this.options.scaling ? `, ${this.options.scaling}` : ""),
    );
    this.#log(modelSummary(run.autoencoder));
    if (this.options.resumed) {
      this.#log(`resuming ${this.options.resumed} after epoch ${run.state.epoch}`);
    }
  }

  /** Times the epoch. */
  onEpochBegin(): void {
    this.#t0 = performance.now();
  }

  /** The epoch's losses and metrics, when asked for. */
  onEpochEnd({ metrics: m }: EpochEnd, run: FitRun): void {
    if (!this.options.epochs) return;
    this.#log(
      `epoch ${m.epoch}/${run.totalEpochs}: ${losses(m)}${extras(m)} (${formatSeconds(m.epoch_s)})`,
    );
  }
}

/** `train <loss> X  val <loss> Y  test <loss> Z`, `val` only with a validation set. */
function losses(m: EpochEnd["metrics"], lossName?: string): string {
  const name = lossName ? ` ${lossName}` : "";
  return [["train", m.train_loss], ["val", m.val_loss], ["test", m.test_loss]]
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}${name} ${(v as number).toFixed(4)}`).join("  ");
}

/** `  name value` for each of the model's test metrics. */
function extras(m: EpochEnd["metrics"]): string {
  const skip = new Set([
    "epoch",
    "phase",
    "train_loss",
    "val_loss",
    "test_loss",
    "epoch_s",
    "eval_s",
    "images_per_s",
    "backend",
    "num_tensors",
    "num_bytes",
    "gpu_bytes",
    "workers",
    "worker_num_tensors",
  ]);
  return Object.entries(m)
    .filter(([k, v]) => !skip.has(k) && !k.startsWith("best_") && typeof v === "number")
    .map(([k, v]) => `  ${k} ${(v as number).toFixed(4)}`).join("");
}
