/**
 * diabolo: train, inspect and use autoencoders on MNIST-style images without
 * Python, on TensorFlow.js's WebGPU or WASM-SIMD backend, with AssemblyScript
 * WASM-SIMD kernels for training gradients, gzip IDX decoding, noise and
 * Barnes-Hut t-SNE.
 *
 * ```ts
 * import { encode, floatImages, loadMnist, train, tsne } from "./mod.ts";
 *
 * const { autoencoder, metrics } = await train({ model: "conv", epochs: 1, trainSize: 2000, testSize: 500 });
 * console.log(metrics[0].test_loss);
 * const { test } = await loadMnist({ testSize: 500 });
 * const codes = encode(autoencoder, floatImages(test));
 * const { embedding } = await tsne(codes, { dims: 64, seed: 0 });
 * ```
 *
 * Anomaly detection, the one-class protocol: train on the 3s, score the test set.
 *
 * ```ts
 * import { AnomalyDetector, floatImages, loadMnist, rocAuc, train } from "./mod.ts";
 *
 * const { autoencoder } = await train({ model: "dense", epochs: 5, trainClasses: [3] });
 * const { train: threes, test } = await loadMnist({ scale: "symmetric", trainClasses: [3] });
 * const detector = new AnomalyDetector(autoencoder, { scale: "symmetric", threshold: { kind: "contamination", p: 0.05 } })
 *   .fit(floatImages(threes));
 * const scores = detector.scores(floatImages(test));
 * console.log(rocAuc(test.labels.map((l) => (l === 3 ? 0 : 1)), scores), detector.predict(floatImages(test)));
 * ```
 *
 * @module
 */
export {
  type BackendChoice,
  type BackendRequest,
  BACKENDS,
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
export {
  loadMnist,
  type LoadMnistOptions,
  type Mnist,
  packagedMnistDir,
} from "./src/data/mnist.ts";
export {
  type Dataset,
  floatImages,
  gather,
  type HeldOut,
  holdOut,
  type HoldOutOptions,
  sampleSize,
  take,
} from "./src/data/dataset.ts";
export { selectSplits, type SelectSplitsOptions } from "./src/data/selection.ts";
export { type ByteScale, gatherScale, type GatherScaleOptions } from "./src/data/gather_scale.ts";
export {
  applyScaling,
  describeScaling,
  fitScaling,
  type FitScalingOptions,
  imageScaling,
  type ImageScalingOptions,
  NORMALIZE_METHODS,
  type NormalizeMethod,
  parseNormalize,
  parseScaling,
  scaleDataset,
  type ScaleDatasetOptions,
  type Scaling,
} from "./src/data/scaling.ts";
export {
  loadData,
  type LoadDataOptions,
  type LoadedData,
  type SourceKind,
  sourceKind,
} from "./src/data/load.ts";
export { loadCsvTable, type LoadCsvTableOptions, type LoadedTable } from "./src/data/csv_table.ts";
export {
  isImageFolder,
  type LoadedImages,
  loadImageFolder,
  type LoadImageFolderOptions,
} from "./src/data/image_folder.ts";
export {
  CIFAR_FILES,
  CIFAR_RECORD,
  decodeCifar,
  isCifarFolder,
  loadCifar,
  type LoadCifarOptions,
  type LoadedCifar,
} from "./src/data/cifar.ts";
export {
  type Layout,
  LAYOUTS,
  loadNumpyImages,
  type LoadNumpyImagesOptions,
  type NumpyImages,
  numpyKind,
} from "./src/data/numpy_images.ts";
export { heldOutTestSplit, type TestSplitOptions } from "./src/data/test_split.ts";
export {
  type ImageSize,
  parseImageSize,
  resizeBilinear,
  toGrey,
  toRgb,
} from "./src/data/pictures.ts";
export { parseClassList, selectClasses, type SelectClassesOptions } from "./src/data/classes.ts";
export { addNoise, type AddNoiseOptions, type NoiseKind } from "./src/noise.ts";
export { getModel, MODELS } from "./src/models/registry.ts";
export type {
  ArtifactContext,
  Autoencoder,
  BuildOptions,
  LossContext,
  LossName,
  ModelDefaults,
  ModelOption,
  ModelOwnSettings,
  ModelSpec,
  NoiseName,
  OptimizerName,
  PixelScale,
  Rows,
  TrainingPhase,
} from "./src/models/model.ts";
export { LOSS_NAMES, NOISE_NAMES, OPTIMIZER_NAMES } from "./src/models/model.ts";
export {
  type OptionDecl,
  OptionError,
  OPTIONS,
  optionsOf,
  validateSettings,
} from "./src/train/options.ts";
export {
  resume,
  type ResumeOptions,
  type RunOutputOptions,
  train,
  type TrainOptions,
  type TrainResult,
} from "./src/train/train.ts";
export {
  type CommonSettings,
  type ParallelRequest,
  resolveConfig,
  type RunConfig,
  type RunSettings,
  type WorkersRequest,
} from "./src/train/config.ts";
export {
  chooseWorkers,
  type ChooseWorkersOptions,
  MAX_AUTO,
  MIN_SLICE,
  MIN_STEPS,
  type ParallelMode,
  parallelMode,
  Replicas,
  shareDataset,
  type StartedWorkers,
  type StartReplicasOptions,
  startWorkers,
  type WorkerEpoch,
  type WorkersChoice,
} from "./src/train/parallel.ts";
export {
  type KernelThreads,
  type KernelThreadsOptions,
  startKernelThreads,
  threadCount,
} from "./src/backend/kernel_threads.ts";
export {
  chunkCount,
  combineChunks,
  EVAL_CHUNK,
  evaluate,
  evaluateChunks,
  type EvaluateOptions,
  type Evaluation,
} from "./src/train/evaluate.ts";
export {
  emptyProfile,
  type ExchangeMemory,
  exchangeMemory,
  GradientExchange,
  ReplicaFailed,
  type StepProfile,
} from "./src/train/exchange.ts";
export {
  type BatchEnd,
  type EpochBegin,
  type EpochEnd,
  type EpochMetrics,
  fit,
  type FitCallback,
  type FitOptions,
  type FitResult,
  type FitRun,
  type FitSettings,
  type PhaseInfo,
  type TrainEnd,
  type TrainingState,
} from "./src/train/fit.ts";
export {
  EarlyStopping,
  type EarlyStoppingOptions,
  ProgressBar,
  type ProgressBarOptions,
  RunFolderWriter,
  TrainLog,
  type TrainLogOptions,
} from "./src/train/callbacks.ts";
export {
  type BatchExtras,
  createTrainStep,
  type TrainStep,
  type TrainStepOptions,
} from "./src/train/step.ts";
export { Adam, type AdamOptions, type AdamState } from "./src/train/optimizer.ts";
export { type Batch, Batches, type BatchSettings } from "./src/train/batches.ts";
export { modelSummary } from "./src/train/summary.ts";
export {
  CheckpointError,
  readMetrics,
  readRunRecord,
  RUN_FILES,
  RunFolderError,
  type RunRecord,
} from "./src/run/run_folder.ts";
export { type LoadedRun, loadRun, type LoadRunOptions } from "./src/inference/load_run.ts";
export { type CodecOptions, decode, encode, reconstruct } from "./src/inference/codec.ts";
export {
  type ExportedFeatures,
  exportFeatures,
  type ExportFeaturesOptions,
} from "./src/features/export.ts";
export { type ReportOptions, writeReport } from "./src/report/report.ts";
export {
  tsne,
  TsneOptionError,
  type TsneOptions,
  type TsneProgress,
  type TsneResult,
  type TsneSeconds,
} from "./src/tsne/tsne.ts";
export { chooseThreads, type ChooseThreadsOptions, type ThreadChoice } from "./src/tsne/threads.ts";
export { neighborAccuracy, type NeighborAccuracyOptions } from "./src/tsne/metrics.ts";
export {
  type NpyArray,
  type NpyData,
  type NpyDtype,
  NpyError,
  readNpy,
  type ReadNpyOptions,
  writeNpy,
} from "./src/io/npy.ts";
export { CsvError, type CsvTable, readCsv, type ReadCsvOptions } from "./src/io/csv.ts";
export { type NpzEntry, readNpz, writeNpz } from "./src/io/npz.ts";
export {
  decodeImage,
  type DecodeImageOptions,
  ImageError,
  imageKind,
  type Picture,
} from "./src/io/image.ts";
export { PermissionError } from "./src/io/permissions.ts";
export { UserError } from "./src/errors.ts";
export {
  anomalyScores,
  type AnomalyScoresOptions,
  defaultScore,
  type ScoreName,
  SCORES,
} from "./src/anomaly/scores.ts";
export { AnomalyDetector, type AnomalyDetectorOptions, flag } from "./src/anomaly/detector.ts";
export {
  contaminationRule,
  DEFAULT_THRESHOLD_RULE,
  describeRule,
  fitThreshold,
  parseThresholdRule,
  type Threshold,
  type ThresholdRule,
} from "./src/anomaly/threshold.ts";
export {
  averagePrecision,
  type PrCurve,
  precisionRecallCurve,
  rocAuc,
  type RocCurve,
  rocCurve,
  type ThresholdMetrics,
  thresholdMetrics,
} from "./src/anomaly/metrics.ts";
export {
  detect,
  type DetectionMetrics,
  type DetectOptions,
  type DetectRecord,
  type DetectResult,
} from "./src/anomaly/detect.ts";
export {
  detectorSettings,
  ONE_CLASS_DETECTOR,
  oneClassAuc,
  type OneClassDetector,
  type OneClassOptions,
  type OneClassResult,
} from "./src/anomaly/one_class.ts";
export {
  splitTable,
  tabularAutoencoder,
  tabularOneClass,
  type TabularOneClassOptions,
  type TabularOneClassResult,
  type TabularSplit,
} from "./src/anomaly/tabular.ts";
