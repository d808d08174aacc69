/**
 * Opens a finished (or interrupted) run for inference: its settings, and its
 * model rebuilt from the zoo with the checkpointed weights.
 *
 * ```ts
 * import { loadRun } from "./load_run.ts";
 * const { config, autoencoder } = await loadRun("runs/conv-20261122-101500");
 * ```
 *
 * @module
 */
import { type BackendChoice, type BackendRequest, initBackend } from "../backend/backend.ts";
import { getModel } from "../models/registry.ts";
import type { Autoencoder } from "../models/model.ts";
import type { RunConfig } from "../train/config.ts";
import type { TrainingState } from "../train/fit.ts";
import {
  CheckpointError,
  loadWeights,
  readRunRecord,
  RUN_FILES,
  RunFolderError,
} from "../run/run_folder.ts";

/** Options for {@linkcode loadRun}. */
export interface LoadRunOptions {
  /** Backend to run the model on (default `auto`). */
  backend?: BackendRequest;
  /**
   * Which weights: `best` (the best validation loss, kept by `--early-stopping`;
   * the last epoch's when the run has none) or `last` (default `best`).
   */
  weights?: "best" | "last";
}

/** A run opened for inference. */
export interface LoadedRun {
  /** The run folder it was loaded from. */
  runDir: string;
  /** The settings from its `config.json`. */
  config: RunConfig;
  /** Where training stood at the loaded checkpoint (epochs done, best validation loss). */
  state: TrainingState;
  /** The backend the model now runs on, and why it was chosen. */
  backend: BackendChoice;
  /** The model with the checkpoint's weights, ready for `encode` / `decode`. */
  autoencoder: Autoencoder;
}

/**
 * Reads `config.json`, rebuilds the model it names and loads the last
 * complete checkpoint into it.
 *
 * @example
 * ```ts
 * const run = await loadRun("runs/vae-1", { backend: "wasm" });
 * console.log(run.config.model, run.state.epoch);
 * ```
 */
export async function loadRun(runDir: string, options: LoadRunOptions = {}): Promise<LoadedRun> {
  const { config } = await readRunRecord(runDir);
  const backend = await initBackend({ backend: options.backend ?? "auto" });
  // Built exactly as training built it (widths, dropout, ...), then overwritten by the checkpoint.
  const autoencoder = getModel(config.model).build(config);
  const wantBest = options.weights !== "last" && config.earlyStopping > 0;
  const { state } = wantBest
    ? await loadWeights(runDir, autoencoder.parameters, { folder: RUN_FILES.best }).catch(
      (e) => {
        // A run stopped before its last phase has no best/ yet: its last epoch is all there is.
        if (e instanceof RunFolderError && !(e instanceof CheckpointError)) {
          return loadWeights(runDir, autoencoder.parameters);
        }
        throw e;
      },
    )
    : await loadWeights(runDir, autoencoder.parameters);
  return { runDir, config, state, backend, autoencoder };
}
