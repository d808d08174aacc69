/**
 * diabolo: train, inspect and use autoencoders on MNIST-style images without
 * Python, on TensorFlow.js's WebGPU or WASM-SIMD backend.
 *
 * ```ts
 * import { train } from "./mod.ts";
 * const { runDir, metrics } = await train({ model: "conv", epochs: 1, trainSize: 2000, testSize: 500 });
 * console.log(runDir, metrics[0].val_loss);
 * ```
 *
 * @module
 */
export {
  type BackendChoice,
  type BackendRequest,
  initBackend,
  type InitBackendOptions,
} from "./src/backend/backend.ts";
export {
  type IdxArray,
  IdxError,
  type IdxScale,
  readIdx,
  type ReadIdxOptions,
} from "./src/data/idx.ts";
export { loadMnist, type LoadMnistOptions, type Mnist } from "./src/data/mnist.ts";
export type { Dataset } from "./src/data/dataset.ts";
export { getModel, MODELS } from "./src/models/registry.ts";
export type { Autoencoder, BuildOptions, ModelDefaults, ModelSpec } from "./src/models/model.ts";
export {
  type EpochMetrics,
  resume,
  type ResumeOptions,
  type RunConfig,
  train,
  type TrainOptions,
  type TrainResult,
} from "./src/train/loop.ts";
export { modelSummary } from "./src/train/summary.ts";
export { type LoadedRun, loadRun, type LoadRunOptions } from "./src/inference/load_run.ts";
export { type CodecOptions, decode, encode } from "./src/inference/codec.ts";
export {
  type ExportedFeatures,
  exportFeatures,
  type ExportFeaturesOptions,
} from "./src/features/export.ts";
export { readNpy, writeNpy } from "./src/io/npy.ts";
export { writeNpz } from "./src/io/npz.ts";
export { tsne, type TsneOptions, type TsneResult } from "./src/tsne/tsne.ts";
