/**
 * Checkpoints: the network in tfjs layers format (`model.json` +
 * `weights.bin`, loadable by `tf.loadLayersModel`), the optimizer state and
 * the training position, written as one folder that replaces the previous one
 * atomically, so a crash mid-save leaves the last complete epoch intact.
 *
 * ```ts
 * // await saveCheckpoint("runs/conv-1", { network, optimizer, state: { epoch: 3 } });
 * // const ckpt = await loadCheckpoint("runs/conv-1", { network, optimizer });
 * ```
 *
 * @module
 */
import { RunFolderError } from "./run_folder.ts";
import { tf, type tfl } from "../deps.ts";
import { withPermission } from "../io/permissions.ts";
import type { Adam } from "./optimizer.ts";

/** Where training stands; saved with the weights. */
export interface TrainingState {
  /** Epochs completed. */
  epoch: number;
  /** Best test loss so far, over the last training phase only (unset before its first epoch). */
  bestValLoss?: number;
  /** The epoch (1-based) that reached `bestValLoss`. */
  bestEpoch?: number;
}

/** What a checkpoint holds besides its state. */
export interface CheckpointParts {
  network: tfl.LayersModel;
  optimizer: Adam;
}

const DIR = "checkpoint";

function join(data: tf.io.WeightData): Uint8Array {
  return new Uint8Array(tf.io.CompositeArrayBuffer.join(data));
}

async function encode(
  named: tf.NamedTensorMap,
): Promise<{ data: Uint8Array; specs: tf.io.WeightsManifestEntry[] }> {
  const { data, specs } = await tf.io.encodeWeights(named);
  return { data: join(data), specs };
}

/** Serialises the network as tfjs's `model.json` and `weights.bin`. */
export async function networkArtifacts(
  network: tfl.LayersModel,
): Promise<{ json: string; weights: Uint8Array }> {
  const names = network.weights.map((w) => w.originalName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new Error(`layer weight "${dup}" appears twice: give every layer a unique name`);
  let out: { json: string; weights: Uint8Array } | undefined;
  await network.save(tf.io.withSaveHandler((artifacts) => {
    const modelJson = {
      format: "layers-model",
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ["weights.bin"], weights: artifacts.weightSpecs }],
    };
    out = { json: JSON.stringify(modelJson), weights: join(artifacts.weightData!) };
    return Promise.resolve({
      modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
    });
  }));
  return out!;
}

/** Options of {@linkcode saveCheckpoint} and {@linkcode loadNetworkWeights}. */
export interface CheckpointFolderOptions {
  /** Folder inside the run (default `checkpoint`; early stopping keeps the best epoch in `best`). */
  folder?: string;
}

/** Writes the checkpoint folder `<runDir>/checkpoint`, replacing the previous one atomically. */
export async function saveCheckpoint(
  runDir: string,
  parts: CheckpointParts & { state: TrainingState },
  options: CheckpointFolderOptions = {},
): Promise<void> {
  const { network, optimizer, state } = parts;
  const model = await networkArtifacts(network);
  const opt = optimizer.getState();
  const moments = await encode(Object.fromEntries(opt.moments.map((t, i) => [`moment_${i}`, t])));
  const dir = options.folder ?? DIR;
  const tmp = `${runDir}/${dir}.tmp`, old = `${runDir}/${dir}.old`, final = `${runDir}/${dir}`;
  await withPermission("write", `${runDir}/`, async () => {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    await Deno.mkdir(tmp, { recursive: true });
    await Deno.writeTextFile(`${tmp}/model.json`, model.json);
    await Deno.writeFile(`${tmp}/weights.bin`, model.weights);
    await Deno.writeTextFile(
      `${tmp}/optimizer.json`,
      JSON.stringify({
        step: opt.step,
        weightsManifest: [{ paths: ["optimizer.bin"], weights: moments.specs }],
      }),
    );
    await Deno.writeFile(`${tmp}/optimizer.bin`, moments.data);
    await Deno.writeTextFile(`${tmp}/state.json`, JSON.stringify(state));
    await Deno.remove(old, { recursive: true }).catch(() => {});
    await Deno.rename(final, old).catch(() => {});
    await Deno.rename(tmp, final);
    await Deno.remove(old, { recursive: true }).catch(() => {});
  });
}

/** The checkpoint folder of a run: `checkpoint/`, or `checkpoint.old/` after an interrupted save. */
async function checkpointDir(runDir: string, folder = DIR): Promise<string> {
  return await withPermission("read", runDir, async () => {
    for (const d of [folder, `${folder}.old`]) {
      try {
        await Deno.stat(`${runDir}/${d}/state.json`);
        return `${runDir}/${d}`;
      } catch { /* try the next */ }
    }
    throw new RunFolderError(`${runDir}: no checkpoint (expected ${runDir}/${folder}/state.json)`);
  });
}

async function readWeights(dir: string, json: string) {
  const manifest = JSON.parse(await Deno.readTextFile(`${dir}/${json}`));
  const [group] = manifest.weightsManifest as tf.io.WeightsManifestConfig;
  const bytes = await Deno.readFile(`${dir}/${group.paths[0]}`);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { manifest, named: tf.io.decodeWeights(buffer, group.weights) };
}

/** Loads a run's checkpointed weights into `network` (built with the run's settings); returns the state. */
export async function loadNetworkWeights(
  runDir: string,
  network: tfl.LayersModel,
  options: CheckpointFolderOptions = {},
): Promise<TrainingState> {
  const dir = await checkpointDir(runDir, options.folder);
  const model = await readWeights(dir, "model.json");
  network.loadWeights(model.named, true);
  tf.dispose(Object.values(model.named));
  return JSON.parse(await Deno.readTextFile(`${dir}/state.json`));
}

/** Reads a checkpoint into `network` and `optimizer`; returns its state. */
export async function loadCheckpoint(
  runDir: string,
  parts: CheckpointParts,
): Promise<TrainingState> {
  const state = await loadNetworkWeights(runDir, parts.network);
  const opt = await readWeights(await checkpointDir(runDir), "optimizer.json");
  const moments = Object.keys(opt.named)
    .sort((a, b) => Number(a.split("_")[1]) - Number(b.split("_")[1]))
    .map((k) => opt.named[k]);
  parts.optimizer.setState({ step: opt.manifest.step, moments });
  tf.dispose(moments);
  return state;
}
