/**
 * Turns Deno's permission denials into messages that name the flag to grant.
 *
 * ```ts
 * import { withPermission } from "./permissions.ts";
 * const bytes = await withPermission("read", "data/x.idx", () => Deno.readFile("data/x.idx"));
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** A permission Deno refused, with the flag that would grant it. */
export class PermissionError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "PermissionError";
}

/** What the operation needs: file reads or writes. */
export type PermissionKind = "read" | "write";

function denied(e: unknown): boolean {
  return e instanceof Deno.errors.NotCapable || e instanceof Deno.errors.PermissionDenied;
}

/**
 * Runs `fn`; if Deno denies it a permission, throws a {@linkcode PermissionError}
 * saying which `--allow-*` flag grants access to `path`.
 *
 * @example
 * ```ts
 * await withPermission("write", "runs/a/config.json", () => Deno.writeTextFile("runs/a/config.json", "{}"));
 * ```
 */
export async function withPermission<T>(
  kind: PermissionKind,
  path: string,
  fn: () => Promise<T> | T,
): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!denied(e)) throw e;
    const dir = kind === "read" ? path : path.replace(/\/[^/]*$/, "") || ".";
    // Writing needs read access as well: renames and directory checks read.
    const flags = kind === "read"
      ? `--allow-read=${dir}`
      : `--allow-read=${dir} --allow-write=${dir}`;
    const action = kind === "read" ? "reading" : "writing";
    throw new PermissionError(
      `${action} ${path} was denied (${(e as Error).message}); grant it with ${flags} ` +
        `(deno task train grants --allow-read=data,runs --allow-write=runs; for other folders run ` +
        `\`deno run ${flags} ... tasks/train.ts\`)`,
    );
  }
}
