/**
 * The file-system steps every writer shares: writes that never leave a
 * half-written file (data goes to a temporary name beside the target, then is
 * renamed over it), folders made with their parents, and existence checks.
 *
 * ```ts
 * import { writeFileAtomic } from "./atomic.ts";
 * await writeFileAtomic("runs/a/config.json", JSON.stringify({ epochs: 1 }));
 * ```
 *
 * @module
 */
import { withPermission } from "./permissions.ts";

/**
 * Writes `data` (bytes or text) to `path` atomically.
 *
 * @example
 * ```ts
 * await writeFileAtomic("out.bin", new Uint8Array([1, 2, 3]));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.tmp-${Deno.pid}`;
  await withPermission("write", path, async () => {
    try {
      if (typeof data === "string") await Deno.writeTextFile(tmp, data);
      else await Deno.writeFile(tmp, data);
      await Deno.rename(tmp, path);
    } catch (e) {
      await Deno.remove(tmp).catch(() => {});
      throw e;
    }
  });
}

/** Creates `dir` and its parents, with a permission hint if that is denied. */
export async function ensureDir(dir: string): Promise<void> {
  await withPermission("write", `${dir}/`, () => Deno.mkdir(dir, { recursive: true }));
}

/**
 * Whether `path` exists; a denied or failing stat (other than not found) is thrown.
 *
 * @example
 * ```ts
 * if (await exists("runs/a/checkpoint")) console.log("resumable");
 * ```
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
