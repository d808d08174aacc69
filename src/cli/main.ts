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
import { UserError } from "../errors.ts";

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
