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
