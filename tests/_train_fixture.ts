/**
 * Shared set-up for tests that train: a fresh run folder under `.tmp/` and
 * quiet, small-subset training options.
 * @module
 */
import type { TrainOptions } from "../src/train/train.ts";

/** A new empty folder under `.tmp/`. */
export async function tempRunDir(prefix = "run_"): Promise<string> {
  await Deno.mkdir(".tmp", { recursive: true });
  return await Deno.makeTempDir({ dir: ".tmp", prefix });
}

/** Options for a quick, silent run on a seeded subset. */
export function quick(options: Partial<TrainOptions> & { out: string }): TrainOptions {
  return { model: "conv", seed: 0, quiet: true, log: () => {}, ...options };
}
