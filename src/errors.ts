/**
 * The base of every error a user can fix: a bad file, option, run folder or
 * permission. Tasks print such an error's message alone, without a stack
 * trace, and exit with status 2; anything else is a bug and keeps its trace.
 *
 * ```ts
 * import { UserError } from "./errors.ts";
 * class BadThing extends UserError {}
 * ```
 *
 * @module
 */

/** An error the user can fix, with a message saying what and where. */
export class UserError extends Error {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "UserError";
}
