/**
 * What every task's entry point shares: usage errors, and turning the errors
 * a user can fix into one `error: ...` line and exit status 2.
 *
 * ```ts
 * import { runTask, UsageError } from "./main.ts";
 * await runTask(async () => {
 *   if (Deno.args.length === 0) throw new UsageError("expected a run folder");
 * });
 * ```
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { UserError } from "../errors.ts";
import { type BackendRequest, BACKENDS } from "../backend/backend.ts";

/** A command line that cannot be run, with what is wrong. */
export class UsageError extends UserError {
  override name = "UsageError";
}

/**
 * Runs a task's `main`; a {@linkcode UserError} (bad option, file, run folder
 * or permission) is printed as one `error:` line with exit status 2.
 *
 * @example
 * ```ts
 * await runTask(() => Promise.resolve());
 * ```
 */
export async function runTask(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    console.error(`error: ${e.message}`);
    Deno.exit(2);
  }
}

/**
 * `node:util`'s `parseArgs`, with its complaints (unknown or ambiguous
 * options) turned into a {@linkcode UsageError}.
 *
 * @example
 * ```ts
 * const { values } = parseTaskArgs({ args: ["--out", "x"], options: { out: { type: "string" } } });
 * ```
 */
export function parseTaskArgs<T extends ParseArgsConfig>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replaceAll("\n", " ")} (see --help)`);
  }
}

/**
 * The value of `--backend`, checked.
 *
 * @example
 * ```ts
 * backendOption("wasm"); // "wasm"
 * ```
 */
export function backendOption(value: string | undefined): BackendRequest | undefined {
  if (value === undefined) return undefined;
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new UsageError(`--backend ${value}: expected one of ${BACKENDS.join(", ")}`);
  }
  return value as BackendRequest;
}

/** What {@linkcode numberOption} accepts. */
export interface NumberOptionRange {
  /** Whole numbers only (default false). */
  integer?: boolean;
  /** The smallest value allowed (default: none). */
  min?: number;
  /** A bound the value must stay above (default: none). */
  above?: number;
}

/**
 * The number a flag was given, checked; `undefined` when the flag was not
 * given. A value that is not a number, or out of range, is a
 * {@linkcode UsageError} naming the flag and what it takes.
 *
 * @example
 * ```ts
 * import { numberOption } from "./main.ts";
 * numberOption("--perplexity", "30", { above: 0 }); // 30
 * ```
 */
export function numberOption(
  flag: string,
  raw: string | undefined,
  range: NumberOptionRange = {},
): number | undefined {
  if (raw === undefined) return undefined;
  const { integer = false, min, above } = range;
  const n = Number(raw);
  const ok = raw.trim() !== "" && Number.isFinite(n) && (!integer || Number.isInteger(n)) &&
    (min === undefined || n >= min) && (above === undefined || n > above);
  if (ok) return n;
  const kind = integer ? "an integer" : "a number";
  const bound = min !== undefined
    ? ` of at least ${min}`
    : above !== undefined
    ? ` above ${above}`
    : "";
  throw new UsageError(`${flag} ${raw}: expected ${kind}${bound}`);
}
