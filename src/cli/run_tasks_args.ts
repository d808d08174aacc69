/**
 * The command lines of the tasks that open a trained run: `deno task embed`,
 * `deno task report` and `deno task quality`.
 *
 * ```ts
 * import { parseReportArgs } from "./run_tasks_args.ts";
 * const cmd = parseReportArgs(["runs/conv-1", "--tsne-points", "500"]);
 * console.log(cmd.kind === "run" && cmd.options.tsnePoints); // 500
 * ```
 *
 * @module
 */
import { backendOption, numberOption, parseTaskArgs, UsageError } from "./main.ts";
import type { BackendRequest } from "../backend/backend.ts";
import type { ExportFeaturesOptions } from "../features/export.ts";
import type { ReportOptions } from "../report/report.ts";

/** `--help` of `deno task embed`. */
export const EMBED_USAGE =
  "Usage: deno task embed runs/<name> [--backend auto|webgpu|wasm|cpu] [--workers N|auto] " +
  "[--out DIR]";
/** `--help` of `deno task report`. */
export const REPORT_USAGE =
  "Usage: deno task report runs/<name> [--tsne-points N (default 2000, 0: none)] " +
  "[--backend auto|webgpu|wasm|cpu] [--out FILE]";

/** A task on one run folder, or its help. */
export type RunTaskCommand<T> =
  | { kind: "help"; text: string }
  | { kind: "run"; runDir: string; options: T };

function oneRun(positionals: string[], usage: string): string {
  if (positionals.length !== 1) throw new UsageError(`expected one run folder\n${usage}`);
  return positionals[0];
}

/**
 * Parses `deno task embed` arguments.
 *
 * @example
 * ```ts
 * import { parseEmbedArgs } from "./run_tasks_args.ts";
 * parseEmbedArgs(["runs/conv-1", "--backend", "wasm"]);
 * ```
 */
export function parseEmbedArgs(args: string[]): RunTaskCommand<ExportFeaturesOptions> {
  const { values, positionals } = parseTaskArgs({
    args,
    allowPositionals: true,
    options: {
      backend: { type: "string" },
      workers: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return { kind: "help", text: EMBED_USAGE };
  const workers = values.workers === "auto"
    ? "auto"
    : numberOption("--workers", values.workers, { integer: true, min: 1 });
  return {
    kind: "run",
    runDir: oneRun(positionals, EMBED_USAGE),
    options: {
      backend: backendOption(values.backend),
      out: values.out,
      ...(workers !== undefined && { workers }),
    },
  };
}

/**
 * Parses `deno task report` arguments.
 *
 * @example
 * ```ts
 * import { parseReportArgs } from "./run_tasks_args.ts";
 * parseReportArgs(["runs/conv-1", "--out", "runs/conv-1/r.html"]);
 * ```
 */
export function parseReportArgs(args: string[]): RunTaskCommand<ReportOptions> {
  const { values, positionals } = parseTaskArgs({
    args,
    allowPositionals: true,
    options: {
      "tsne-points": { type: "string" },
      backend: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return { kind: "help", text: REPORT_USAGE };
  return {
    kind: "run",
    runDir: oneRun(positionals, REPORT_USAGE),
    options: {
      tsnePoints: numberOption("--tsne-points", values["tsne-points"], { integer: true, min: 0 }),
      backend: backendOption(values.backend),
      out: values.out,
    },
  };
}

/** What `deno task quality` measures. */
export interface QualityCommand {
  /** The models, in the order given (default: every model with a goal). */
  models: string[];
  /** The seeds each is trained with (default `[0]`). */
  seeds: number[];
  /** The backend (default `auto`). */
  backend: BackendRequest | undefined;
  /** The folder of the runs and the table (default `runs/quality`). */
  out: string;
}

/**
 * Parses `deno task quality` arguments; `known` are the models that have a
 * quality goal.
 *
 * @example
 * ```ts
 * import { parseQualityArgs } from "./run_tasks_args.ts";
 * parseQualityArgs(["conv", "--seeds", "0,1"], ["conv", "vae"]).seeds; // [0, 1]
 * ```
 */
export function parseQualityArgs(args: string[], known: string[]): QualityCommand {
  const { values, positionals } = parseTaskArgs({
    args,
    allowPositionals: true,
    options: {
      seeds: { type: "string", default: "0" },
      backend: { type: "string", default: "auto" },
      out: { type: "string", default: "runs/quality" },
    },
  });
  const models = positionals.length ? positionals : known;
  const unknown = models.find((m) => !known.includes(m));
  if (unknown) {
    throw new UsageError(`no quality goal for "${unknown}"; models: ${known.join(", ")}`);
  }
  const seeds = values.seeds.split(",").map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new UsageError(`--seeds ${values.seeds}: expected comma-separated non-negative integers`);
  }
  return { models, seeds, backend: backendOption(values.backend), out: values.out };
}
