/**
 * A run folder's own records: `config.json` (the settings, the backend and
 * the versions a run was made with) and `metrics.jsonl` (one line per epoch),
 * read back by `--resume`, inference and reports.
 *
 * ```ts
 * import { readMetrics, readRunRecord } from "./run_folder.ts";
 * const { config, backend } = await readRunRecord("runs/conv-20261122-101500");
 * const metrics = await readMetrics("runs/conv-20261122-101500");
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import meta from "../../deno.json" with { type: "json" };
import type { BackendChoice } from "../backend/backend.ts";
import type { EpochMetrics, RunConfig } from "./loop.ts";
import { UserError } from "../errors.ts";
import { withPermission } from "../io/permissions.ts";
import { writeFileAtomic } from "../io/atomic.ts";

/** A folder that is not (or not yet) a run: no `config.json`, or no checkpoint. */
export class RunFolderError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "RunFolderError";
}

/** What `config.json` holds. */
export interface RunRecord {
  /** The run's settings, which `--resume` and `loadRun` rebuild the model from. */
  config: RunConfig;
  /** The backend the run last trained on, and why it was chosen. */
  backend: BackendChoice;
  /** Versions of diabolo, Deno and tfjs-core that wrote the record. */
  versions: { diabolo: string; deno: string; tfjs: string };
  /** ISO 8601 time the record was written: the run's start, or its last resume. */
  created: string;
}

/**
 * Reads `<runDir>/config.json`.
 *
 * @example
 * ```ts
 * const { config } = await readRunRecord("runs/vae-1"); // config.model === "vae"
 * ```
 */
export async function readRunRecord(runDir: string): Promise<RunRecord> {
  const text = await withPermission(
    "read",
    runDir,
    () => Deno.readTextFile(`${runDir}/config.json`),
  )
    .catch((e) => {
      if (e instanceof Deno.errors.NotFound) {
        throw new RunFolderError(`${runDir}: not a run folder (no config.json)`);
      }
      throw e;
    });
  return JSON.parse(text);
}

/** Writes `<runDir>/config.json` for a run starting or resuming now. */
export async function writeRunRecord(
  runDir: string,
  config: RunConfig,
  backend: BackendChoice,
): Promise<void> {
  const record: RunRecord = {
    config,
    backend,
    versions: { diabolo: meta.version, deno: Deno.version.deno, tfjs: tf.version_core },
    created: new Date().toISOString(),
  };
  await writeFileAtomic(`${runDir}/config.json`, JSON.stringify(record, null, 2) + "\n");
}

/** The lines of `<runDir>/metrics.jsonl`, none if the run has not finished an epoch. */
export async function readMetrics(runDir: string): Promise<EpochMetrics[]> {
  try {
    const text = await withPermission(
      "read",
      runDir,
      () => Deno.readTextFile(`${runDir}/metrics.jsonl`),
    );
    return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
}
