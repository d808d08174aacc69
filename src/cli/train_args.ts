/**
 * The command line of `deno task train`: parsing, validation and `--help`.
 *
 * ```ts
 * import { parseTrainArgs } from "./train_args.ts";
 * const cmd = parseTrainArgs(["conv", "--epochs", "1", "--seed", "0"]);
 * // cmd.kind === "train"; cmd.options.epochs === 1
 * ```
 *
 * @module
 */
import { UsageError } from "./main.ts";
import { parseArgs } from "node:util";
import { MODELS } from "../models/registry.ts";
import type { BackendRequest } from "../backend/backend.ts";
import type { ResumeOptions, TrainOptions } from "../train/train.ts";
import { parseClassList } from "../data/classes.ts";

/** What the command line asks for. */
export type TrainCommand =
  | { kind: "help"; text: string }
  | { kind: "train"; options: TrainOptions; report: boolean }
  | { kind: "resume"; runDir: string; options: ResumeOptions; report: boolean };

export { UsageError };

const NUMBER_FLAGS = {
  "epochs": "epochs",
  "batch-size": "batchSize",
  "lr": "lr",
  "latent-dim": "latentDim",
  "seed": "seed",
  "train-size": "trainSize",
  "test-size": "testSize",
  "weight-decay": "weightDecay",
  "dropout": "dropout",
  "early-stopping": "earlyStopping",
  "noise-level": "noiseLevel",
  "width": "width",
  "sparsity-weight": "sparsityWeight",
  "contractive-weight": "contractiveWeight",
  "pretrain-epochs": "pretrainEpochs",
} as const;
const INTEGER = new Set([
  "epochs",
  "batch-size",
  "latent-dim",
  "seed",
  "train-size",
  "test-size",
  "early-stopping",
  "width",
  "pretrain-epochs",
]);
const AT_LEAST_ONE = new Set([
  "epochs",
  "batch-size",
  "latent-dim",
  "train-size",
  "test-size",
  "width",
  "pretrain-epochs",
]);
const CHOICES = {
  backend: ["auto", "webgpu", "wasm", "cpu"],
  loss: ["bce", "mse", "l1"],
  optimizer: ["adam", "adamw"],
  noise: ["none", "gaussian", "mask", "saltpepper"],
} as const;

/** A model's own settings, as `--help` lists them after the common ones. */
const EXTRA_DEFAULTS = {
  noise: "--noise",
  noiseLevel: "--noise-level",
  width: "--width",
  sparsityWeight: "--sparsity-weight",
  contractiveWeight: "--contractive-weight",
  pretrainEpochs: "--pretrain-epochs",
} as const;

/** `--help`: usage, every option, and every model with its defaults. */
export function helpText(): string {
  const models = Object.values(MODELS).map((m) => {
    const d = m.defaults;
    const extra = Object.entries(EXTRA_DEFAULTS)
      .filter(([k]) => d[k as keyof typeof d] !== undefined)
      .map(([k, flag]) => ` ${flag} ${d[k as keyof typeof d]}`).join("");
    return `  ${m.name.padEnd(12)} ${m.title}\n${
      " ".repeat(15)
    }defaults: --epochs ${d.epochs} --batch-size ${d.batchSize} ` +
      `--lr ${d.lr} --loss ${d.loss} --optimizer ${d.optimizer}${
        d.weightDecay ? ` --weight-decay ${d.weightDecay}` : ""
      } --latent-dim ${d.latentDim}${extra} (inputs ${d.scale === "unit" ? "[0,1]" : "[-1,1]"})`;
  }).join("\n");
  return `Usage: deno task train <model> [options]
       deno task train --resume runs/<name> [--epochs N]

Models:
${models}

Options (defaults: the model's, above):
  --epochs N          epochs to train
  --batch-size N      images per step
  --lr X              learning rate
  --latent-dim N      size of the code
  --loss bce|mse|l1   reconstruction loss
  --optimizer adam|adamw
  --weight-decay X    L2 (adam) or decoupled (adamw) weight decay (default 0)
  --dropout X         dropout rate after every hidden layer, in [0, 1) (default 0)
  --early-stopping N  stop when the test loss has not improved for N epochs; keeps the best
                      epoch's weights in <run>/best (default 0: off)
  --noise gaussian|mask|saltpepper|none   corrupt the training inputs; the target stays clean
  --noise-level X     gaussian sigma, or the fraction of pixels masked / salted
  --width N           tconv: channels of the first conv block, doubling after (seed: 128)
  --sparsity-weight X       sparse: weight of the KL sparsity penalty (rho 0.05)
  --contractive-weight X    contractive: weight of the Jacobian penalty ||dz/dx||_F^2
  --pretrain-epochs N       stacked: greedy pre-training epochs per layer (--epochs: fine-tuning)
  --seed N            seed of initialisation, data order and subsets (default 0)
  --backend auto|webgpu|wasm|cpu   (default auto: hardware WebGPU, else WASM-SIMD)
  --data DIR          folder with the four MNIST-format IDX files, raw or .gz (default: packaged MNIST)
  --out DIR           run folder (default runs/<model>-<timestamp>)
  --resume DIR        continue a run from its last complete epoch
  --train-size N      train on a seeded subset of N images
  --test-size N       evaluate on a seeded subset of N images
  --train-classes 3,5     train on these classes only (the one-class protocol); the test set keeps all
  --exclude-classes 9     leave these classes out of training; the test set keeps all
  --quiet             no progress bar; one line per epoch
  --report            write report.html into the run folder at the end
  --help              this text
`;
}

/**
 * Parses and validates `deno task train` arguments.
 *
 * @example
 * ```ts
 * parseTrainArgs(["--resume", "runs/conv-1", "--epochs", "20"]); // { kind: "resume", ... }
 * ```
 */
export function parseTrainArgs(args: string[]): TrainCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ...Object.fromEntries(
          Object.keys(NUMBER_FLAGS).map((k) => [k, { type: "string" as const }]),
        ),
        ...Object.fromEntries(Object.keys(CHOICES).map((k) => [k, { type: "string" as const }])),
        data: { type: "string" },
        out: { type: "string" },
        "train-classes": { type: "string" },
        "exclude-classes": { type: "string" },
        resume: { type: "string" },
        quiet: { type: "boolean" },
        report: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n(see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: "help", text: helpText() };

  const numbers: Record<string, number> = {};
  for (const [flag, key] of Object.entries(NUMBER_FLAGS)) {
    const raw = (values as Record<string, unknown>)[flag] as string | undefined;
    if (raw === undefined) continue;
    const n = Number(raw);
    if (
      raw.trim() === "" || !Number.isFinite(n) || n < 0 ||
      (INTEGER.has(flag) && !Number.isInteger(n))
    ) {
      throw new UsageError(
        `--${flag} ${raw}: expected a ${
          INTEGER.has(flag) ? "non-negative integer" : "non-negative number"
        }`,
      );
    }
    if (AT_LEAST_ONE.has(flag) && n === 0) {
      throw new UsageError(`--${flag} must be at least 1`);
    }
    if (flag === "dropout" && n >= 1) {
      throw new UsageError(`--dropout ${raw}: expected a rate in [0, 1)`);
    }
    numbers[key] = n;
  }
  const choices: Record<string, string> = {};
  for (const [flag, allowed] of Object.entries(CHOICES)) {
    const raw = (values as Record<string, unknown>)[flag] as string | undefined;
    if (raw === undefined) continue;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new UsageError(`--${flag} ${raw}: expected one of ${allowed.join(", ")}`);
    }
    choices[flag] = raw;
  }
  const quiet = values.quiet === true;
  const report = values.report === true;

  if (values.resume !== undefined) {
    if (positionals.length) {
      throw new UsageError(`--resume takes the run's own model; drop "${positionals[0]}"`);
    }
    const extra = Object.keys(values).filter((k) =>
      !["resume", "epochs", "backend", "quiet", "report"].includes(k)
    );
    if (extra.length) {
      throw new UsageError(
        `--resume keeps the run's settings; only --epochs and --backend may change (got --${
          extra[0]
        })`,
      );
    }
    return {
      kind: "resume",
      runDir: values.resume as string,
      options: {
        epochs: numbers.epochs,
        backend: choices.backend as BackendRequest | undefined,
        quiet,
      },
      report,
    };
  }
  if (positionals.length !== 1) {
    throw new UsageError(`expected one model name (${Object.keys(MODELS).join(", ")}); see --help`);
  }
  const model = positionals[0];
  if (!MODELS[model]) {
    throw new UsageError(`unknown model "${model}"; models: ${Object.keys(MODELS).join(", ")}`);
  }
  const classLists = { "train-classes": "trainClasses", "exclude-classes": "excludeClasses" };
  const classes: Partial<Record<"trainClasses" | "excludeClasses", number[]>> = {};
  for (
    const [flag, key] of Object.entries(classLists) as [
      keyof typeof classLists,
      "trainClasses" | "excludeClasses",
    ][]
  ) {
    const raw = values[flag];
    if (raw === undefined) continue;
    try {
      classes[key] = parseClassList(raw as string, `--${flag}`);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  if (classes.trainClasses && classes.excludeClasses) {
    throw new UsageError("--train-classes and --exclude-classes: give one of them, not both");
  }
  return {
    kind: "train",
    options: {
      model,
      ...numbers,
      ...(choices.backend && { backend: choices.backend as BackendRequest }),
      ...(choices.loss && { loss: choices.loss as TrainOptions["loss"] }),
      ...(choices.optimizer && { optimizer: choices.optimizer as TrainOptions["optimizer"] }),
      ...(choices.noise && { noise: choices.noise as TrainOptions["noise"] }),
      ...(values.data !== undefined && { data: values.data as string }),
      ...(values.out !== undefined && { out: values.out as string }),
      ...classes,
      quiet,
    },
    report,
  };
}
