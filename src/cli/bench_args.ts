/**
 * The command lines of the developers' tasks: `deno task bench:train`,
 * `deno task bench:tsne`, `deno task bench:anomaly` and `deno task fuzz:gzip`.
 *
 * ```ts
 * import { parseFuzzArgs } from "./bench_args.ts";
 * parseFuzzArgs(["--fuzz", "300"]); // { cases: 300, seed: 0 }
 * ```
 *
 * @module
 */
import { backendOption, numberOption, parseTaskArgs, UsageError } from "./main.ts";
import { parseClassList } from "../data/classes.ts";
import { MODELS } from "../models/registry.ts";
import { type ScoreName, SCORES } from "../anomaly/scores.ts";
import type { OneClassDetector } from "../anomaly/one_class.ts";

/** What `deno task bench:train` measures. */
export interface BenchTrainCommand {
  /** The backend timed next to wasm (`wasm` alone by default). */
  backend: "wasm" | "webgpu" | "cpu";
  /** Models of the zoo (default conv, dense, vae). */
  models: string[];
  /** Timed steps (default 20), after `warmup` untimed ones (default 5). */
  steps: number;
  warmup: number;
  /** Rounds; each figure is its best round (default 1). */
  rounds: number;
  /** Print a kernel profile of one step per model and backend. */
  profile: boolean;
  /** Leave PyTorch out. */
  noTorch: boolean;
  /**
   * The images both sides train on: `mnist` (default), MNIST's training
   * images in each model's pixel range, or `uniform` random pixels.
   */
  data: "mnist" | "uniform";
  /** The Python with PyTorch (default: the newest torch of `.tmp/py/bin/python` and `/usr/bin/python3`). */
  python?: string;
  /** Also time the path before: a loss read every step and, on WebGPU, tfjs's stock kernels. */
  stock: boolean;
  /**
   * Replica counts to time the wasm fit loop with, side by side (default
   * none: the step alone); `--workers 1,2` times 1 and 2.
   */
  workers: number[];
}

/**
 * Parses `deno task bench:train` arguments.
 *
 * @example
 * ```ts
 * import { parseBenchTrainArgs } from "./bench_args.ts";
 * parseBenchTrainArgs(["--backend", "webgpu", "--models", "conv"]).models; // ["conv"]
 * parseBenchTrainArgs(["--python", "/opt/torch/bin/python"]).python; // "/opt/torch/bin/python"
 * ```
 */
export function parseBenchTrainArgs(args: string[]): BenchTrainCommand {
  const { values } = parseTaskArgs({
    args,
    options: {
      backend: { type: "string" },
      models: { type: "string" },
      steps: { type: "string" },
      warmup: { type: "string" },
      rounds: { type: "string" },
      profile: { type: "boolean" },
      "no-torch": { type: "boolean" },
      python: { type: "string" },
      stock: { type: "boolean" },
      workers: { type: "string" },
      data: { type: "string" },
    },
  });
  const data = values.data ?? "mnist";
  if (data !== "mnist" && data !== "uniform") {
    throw new UsageError(`--data ${data}: expected mnist or uniform`);
  }
  if (values.python !== undefined && values["no-torch"]) {
    throw new UsageError("--python and --no-torch: give one (--no-torch leaves PyTorch out)");
  }
  const backend = values.backend ?? "wasm";
  const workers = values.workers === undefined ? [] : values.workers.split(",").map((w) => {
    const n = Number(w);
    if (!Number.isInteger(n) || n < 1) {
      throw new UsageError(`--workers ${values.workers}: expected counts of at least 1, e.g. 1,2`);
    }
    return n;
  });
  if (backend !== "wasm" && backend !== "webgpu" && backend !== "cpu") {
    throw new UsageError(`--backend ${backend}: expected wasm, webgpu or cpu`);
  }
  const models = (values.models ?? "conv,dense,vae").split(",");
  const unknown = models.filter((m) => !MODELS[m]);
  if (unknown.length) {
    throw new UsageError(
      `--models: ${unknown.join(", ")} unknown; expected some of ${Object.keys(MODELS).join(", ")}`,
    );
  }
  return {
    backend,
    models,
    steps: numberOption("--steps", values.steps, { integer: true, min: 1 }) ?? 20,
    warmup: numberOption("--warmup", values.warmup, { integer: true, min: 0 }) ?? 5,
    rounds: numberOption("--rounds", values.rounds, { integer: true, min: 1 }) ?? 1,
    profile: values.profile === true,
    noTorch: values["no-torch"] === true,
    data,
    python: values.python,
    stock: values.stock === true,
    workers,
  };
}

/** What `deno task bench:tsne` measures. */
export interface BenchTsneCommand {
  /** A run folder or `.npy` of features (default: PCA-50 of MNIST's test images). */
  features?: string;
  /** Points embedded (default 10000). */
  n: number;
  /** Threads of our t-SNE (default: its own choice). */
  threads?: number;
  /** Seed of both embeddings (default 0). */
  seed: number;
  /** Leave scikit-learn out. */
  skipSklearn: boolean;
  /** Also the full 70,000 points. */
  full: boolean;
}

/**
 * Parses `deno task bench:tsne` arguments.
 *
 * @example
 * ```ts
 * import { parseBenchTsneArgs } from "./bench_args.ts";
 * parseBenchTsneArgs(["--n", "2000", "--skip-sklearn"]).n; // 2000
 * ```
 */
export function parseBenchTsneArgs(args: string[]): BenchTsneCommand {
  const { values } = parseTaskArgs({
    args,
    options: {
      features: { type: "string" },
      n: { type: "string" },
      threads: { type: "string" },
      seed: { type: "string" },
      "skip-sklearn": { type: "boolean" },
      full: { type: "boolean" },
    },
  });
  return {
    features: values.features,
    n: numberOption("--n", values.n, { integer: true, min: 2 }) ?? 10000,
    threads: numberOption("--threads", values.threads, { integer: true, min: 1 }),
    seed: numberOption("--seed", values.seed, { integer: true, min: 0 }) ?? 0,
    skipSklearn: values["skip-sklearn"] === true,
    full: values.full === true,
  };
}

/**
 * Parses `deno task fuzz:gzip` arguments: `--fuzz N` cases (default 10000) from `--seed S` (default 0).
 *
 * @example
 * ```ts
 * import { parseFuzzArgs } from "./bench_args.ts";
 * parseFuzzArgs([]); // { cases: 10000, seed: 0 }
 * ```
 */
export function parseFuzzArgs(args: string[]): { cases: number; seed: number } {
  const { values } = parseTaskArgs({
    args,
    options: { fuzz: { type: "string" }, seed: { type: "string" } },
  });
  return {
    cases: numberOption("--fuzz", values.fuzz, { integer: true, min: 1 }) ?? 10000,
    seed: numberOption("--seed", values.seed, { integer: true, min: 0 }) ?? 0,
  };
}

/** What `deno task bench:anomaly` measures. */
export type BenchAnomalyCommand =
  & {
    /** The detector's settings given on the command line (the rest: the default detector's). */
    detector: Partial<OneClassDetector>;
    /** A Python to run the scikit-learn baselines with, `null` to skip them (default: search). */
    python?: string | null;
  }
  & (
    | { kind: "mnist"; digits: number[] }
    | { kind: "csv"; csv: string; labelColumn: string; normal: string[] }
  );

/**
 * Parses `deno task bench:anomaly` arguments: the digits, or a CSV with its
 * label column and normal labels; the detector's model, code size, epochs,
 * batch size, learning rate, score, seed and backend.
 *
 * @example
 * ```ts
 * import { parseBenchAnomalyArgs } from "./bench_args.ts";
 * parseBenchAnomalyArgs(["--digits", "2,5", "--latent-dim", "8"]).detector; // { latentDim: 8 }
 * ```
 */
export function parseBenchAnomalyArgs(args: string[]): BenchAnomalyCommand {
  const { values } = parseTaskArgs({
    args,
    options: {
      digits: { type: "string" },
      model: { type: "string" },
      epochs: { type: "string" },
      "latent-dim": { type: "string" },
      "batch-size": { type: "string" },
      lr: { type: "string" },
      score: { type: "string" },
      seed: { type: "string" },
      backend: { type: "string" },
      python: { type: "string" },
      csv: { type: "string" },
      "label-column": { type: "string" },
      normal: { type: "string" },
      "skip-sklearn": { type: "boolean" },
    },
  });
  if (values.model !== undefined && !MODELS[values.model]) {
    throw new UsageError(
      `--model ${values.model}: expected one of ${Object.keys(MODELS).join(", ")}`,
    );
  }
  if (values.score !== undefined && !(SCORES as readonly string[]).includes(values.score)) {
    throw new UsageError(`--score ${values.score}: expected one of ${SCORES.join(", ")}`);
  }
  const positiveInteger = { integer: true, min: 1 };
  const detector: Partial<OneClassDetector> = Object.fromEntries(
    Object.entries({
      model: values.model,
      epochs: numberOption("--epochs", values.epochs, positiveInteger),
      latentDim: numberOption("--latent-dim", values["latent-dim"], positiveInteger),
      batchSize: numberOption("--batch-size", values["batch-size"], positiveInteger),
      lr: numberOption("--lr", values.lr, { above: 0 }),
      score: values.score as ScoreName | undefined,
      seed: numberOption("--seed", values.seed, { integer: true, min: 0 }),
      backend: backendOption(values.backend),
    }).filter(([, v]) => v !== undefined),
  );
  const python = values["skip-sklearn"] ? null : values.python;
  if (values.csv === undefined) {
    const digits = values.digits === undefined
      ? [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
      : parseClassList(values.digits, "--digits");
    return { kind: "mnist", digits, detector, python };
  }
  if (values["label-column"] === undefined || values.normal === undefined) {
    throw new UsageError("--csv needs --label-column NAME and --normal VALUE[,VALUE...]");
  }
  if (values.digits !== undefined) throw new UsageError("--digits is for MNIST, not --csv");
  return {
    kind: "csv",
    csv: values.csv,
    labelColumn: values["label-column"],
    normal: values.normal.split(",").map((v) => v.trim()),
    detector,
    python,
  };
}
