/**
 * The command lines of the developers' tasks: `deno task bench:tsne` and
 * `deno task fuzz:gzip`.
 *
 * ```ts
 * import { parseFuzzArgs } from "./bench_args.ts";
 * parseFuzzArgs(["--fuzz", "300"]); // { cases: 300, seed: 0 }
 * ```
 *
 * @module
 */
import { numberOption, parseTaskArgs } from "./main.ts";

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
