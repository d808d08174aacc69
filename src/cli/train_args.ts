/**
 * The command line of `deno task train`: its parser and `--help`, both
 * generated from the option declarations of `train/options.ts`, so an
 * option exists, checks its value and applies to the models it applies to in
 * one place.
 *
 * ```ts
 * import { parseTrainArgs } from "./train_args.ts";
 * const cmd = parseTrainArgs(["conv", "--epochs", "1", "--seed", "0"]);
 * console.log(cmd.kind === "train" && cmd.options.epochs); // 1
 * ```
 *
 * @module
 */
import { parseTaskArgs, UsageError } from "./main.ts";
import { MODELS } from "../models/registry.ts";
import type { ModelSpec } from "../models/model.ts";
import type { BackendRequest } from "../backend/backend.ts";
import type { ParallelRequest, WorkersRequest } from "../train/config.ts";
import { parseClassList } from "../data/classes.ts";
import { invalidValue, type OptionDecl, OPTIONS, validateSettings } from "../train/options.ts";
import type { ResumeOptions, TrainOptions } from "../train/train.ts";

/** What the command line asks for. */
export type TrainCommand =
  | { kind: "help"; text: string }
  | { kind: "train"; options: TrainOptions; report: boolean }
  | { kind: "resume"; runDir: string; options: ResumeOptions; report: boolean };

export { UsageError };

/** Flags of the command itself, not settings of the run. */
const COMMAND_FLAGS = [
  ["--out DIR", "run folder (default runs/<model>-<timestamp>)"],
  ["--resume DIR", "continue a run from its last complete epoch (the model, if given, must match)"],
  ["--quiet", "no progress bar; one line per epoch"],
  ["--report", "write report.html into the run folder at the end"],
  ["--help", "this text"],
] as const;

/** What `--help` says of the models an option applies to, when not all. */
function appliesTo(o: OptionDecl): string {
  const all = Object.keys(MODELS);
  if (o.models.length === all.length) return "";
  if (o.models.length === 1) return ` (${o.models[0]} only)`;
  return ` (not ${all.filter((m) => !o.models.includes(m)).join(", ")})`;
}

/** The model's defaults, as flags: the options it sets differently from the others. */
function defaultsOf(m: ModelSpec): string {
  const own = Object.fromEntries((m.options ?? []).map((o) => [o.key, o.default]));
  const values: Record<string, unknown> = { ...m.defaults, ...own };
  return OPTIONS.filter((o) => o.models.includes(m.name) && values[o.key] !== undefined)
    .filter((o) => o.default === undefined || o.models.length === 1 || values[o.key] !== o.default)
    .map((o) => ` ${o.flag} ${values[o.key]}`).join("");
}

/**
 * `--help`: usage, every model with its defaults, and every option.
 *
 * @example
 * ```ts
 * import { helpText } from "./train_args.ts";
 * console.log(helpText().includes("--width")); // true
 * ```
 */
export function helpText(): string {
  const models = Object.values(MODELS).map((m) =>
    `  ${m.name.padEnd(12)} ${m.title}\n${" ".repeat(15)}defaults:${defaultsOf(m)} ` +
    `(inputs ${m.defaults.scale === "unit" ? "[0,1]" : "[-1,1]"})\n${" ".repeat(15)}takes ` +
    (m.accepts ?? "images or table rows of any shape, flattened")
  ).join("\n");
  const row = (left: string, help: string) =>
    left.length < 24 ? `  ${left.padEnd(24)}${help}` : `  ${left}\n${" ".repeat(26)}${help}`;
  const options = OPTIONS.map((o) =>
    row(
      `${o.flag} ${o.value}`.trim(),
      `${o.help}${o.default === undefined ? "" : ` (default ${o.default})`}${appliesTo(o)}`,
    )
  );
  return `Usage: deno task train <model> [options]
       deno task train [<model>] --resume runs/<name> [--epochs N] [--backend B] [--workers N]

Models:
${models}

Options (defaults: the model's, above):
${[...options, ...COMMAND_FLAGS.map(([flag, help]) => row(flag, help))].join("\n")}
`;
}

/** The value of `o` given as `raw` on the command line. */
function parseValue(o: OptionDecl, raw: string): unknown {
  if (o.type === "text" || o.type === "choice") return raw;
  if (o.type === "count" && raw === "auto") return raw;
  if (o.type === "classes") return parseClassList(raw, o.flag);
  if (o.type === "names") {
    const names = raw.split(",").map((n) => n.trim());
    if (names.some((n) => n === "")) throw invalidValue(o, raw);
    return names;
  }
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) throw invalidValue(o, raw);
  return n;
}

/**
 * Parses and validates `deno task train` arguments: an option the model
 * does not take, or a value out of range, is a `UserError` naming the flag.
 *
 * @example
 * ```ts
 * import { parseTrainArgs } from "./train_args.ts";
 * parseTrainArgs(["--resume", "runs/conv-1", "--epochs", "20"]); // { kind: "resume", ... }
 * ```
 */
export function parseTrainArgs(args: string[]): TrainCommand {
  const { values, positionals } = parseTaskArgs({
    args,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(
        OPTIONS.map((o) => [o.flag.slice(2), { type: o.type === "flag" ? "boolean" : "string" }]),
      ) as Record<string, { type: "string" | "boolean" }>,
      out: { type: "string" },
      resume: { type: "string" },
      quiet: { type: "boolean" },
      report: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { kind: "help", text: helpText() };
  const given = values as Record<string, string | boolean | undefined>;
  const settings: Record<string, unknown> = {};
  for (const o of OPTIONS) {
    const raw = given[o.flag.slice(2)];
    if (typeof raw === "string") settings[o.key] = parseValue(o, raw);
    else if (raw === true && o.type === "flag") settings[o.key] = true;
  }
  const quiet = values.quiet === true;
  const report = values.report === true;

  if (typeof values.resume === "string") {
    if (positionals.length > 1) {
      throw new UsageError(
        `--resume takes at most the run's model name; got ${positionals.join(" ")}`,
      );
    }
    const extra = Object.keys(values).filter((k) =>
      !["resume", "epochs", "backend", "workers", "parallel", "quiet", "report"].includes(k)
    );
    if (extra.length) {
      throw new UsageError(
        `--resume keeps the run's settings; only --epochs, --backend, --workers and --parallel may change (got --${
          extra[0]
        })`,
      );
    }
    for (const key of ["epochs", "backend", "workers", "parallel"]) {
      const o = OPTIONS.find((o) => o.key === key)!;
      if (settings[key] !== undefined) {
        validateSettings({ model: o.models[0], [key]: settings[key] });
      }
    }
    return {
      kind: "resume",
      runDir: values.resume,
      options: {
        epochs: settings.epochs as number | undefined,
        backend: settings.backend as BackendRequest | undefined,
        workers: settings.workers as WorkersRequest | undefined,
        ...(settings.parallel !== undefined &&
          { parallel: settings.parallel as ParallelRequest }),
        quiet,
        ...(positionals.length && { model: positionals[0] }),
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
  if (settings.trainClasses && settings.excludeClasses) {
    throw new UsageError("--train-classes and --exclude-classes: give one of them, not both");
  }
  validateSettings({ model, ...settings });
  return {
    kind: "train",
    options: {
      model,
      ...settings,
      ...(typeof values.out === "string" && { out: values.out }),
      quiet,
    },
    report,
  };
}
