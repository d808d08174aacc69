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
import meta from "../../deno.json" with { type: "json" };

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
 * The `deno task` running now (its entry point is `tasks/<name>.ts` and
 * deno.json has a task of that name) and the file permissions it grants;
 * `undefined` in a library or test.
 */
export function runningTask(): { name: string; grants: string } | undefined {
  const name = Deno.mainModule.match(/\/tasks\/(\w+)\.ts$/)?.[1];
  const command = (meta.tasks as Record<string, string>)[name ?? ""];
  if (!name || !command?.includes(`tasks/${name}.ts`)) return undefined;
  // `$(deno run tasks/mnist_dir.ts)` is the packaged MNIST's folder, left out of the message.
  const grants = command.replaceAll(/,?\$\(deno run tasks\/mnist_dir\.ts\)/g, "").split(" ")
    .filter((w) => /^--allow-(read|write)=/.test(w)).join(" ");
  return { name, grants };
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
    const task = runningTask();
    throw new PermissionError(
      `${action} ${path} was denied (${(e as Error).message}); grant it with ${flags}` +
        (task
          ? ` (deno task ${task.name} grants ${task.grants}; for other folders run ` +
            `\`deno run ${flags} ... tasks/${task.name}.ts\`)`
          : ""),
    );
  }
}
