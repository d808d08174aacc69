/**
 * The samples a detection scores: a run's own test split by default, or
 * `--data PATH`, an MNIST-format IDX folder (its test split) or a `.npy` of
 * images (N x H x W, or N x D), scaled as the run's model was trained
 * (integer pixels of any dtype / 255, floats with the run's stored scaling).
 * Samples whose size differs from the model's input are refused here,
 * before anything is scored or written.
 *
 * ```ts
 * import { loadDetectionData } from "./data.ts";
 * import { loadRun } from "../inference/load_run.ts";
 * const run = await loadRun("runs/conv-3");
 * const data = await loadDetectionData(run.config, run.autoencoder.inputShape, {
 *   path: "data/fashion",
 * });
 * ```
 *
 * @module
 */
import { loadData } from "../data/load.ts";
import { floatImages, sampleSize } from "../data/dataset.ts";
import { readNpy } from "../io/npy.ts";
import { pixelArray } from "../data/numpy_images.ts";
import { imageScaling, scaleDataset } from "../data/scaling.ts";
import { withPermission } from "../io/permissions.ts";
import { UserError } from "../errors.ts";
import { dataOptions, type RunConfig } from "../train/config.ts";
import { describeShape, recordedShape } from "../train/input_shape.ts";

/** Samples to score, with their labels when the source has them. */
export interface DetectionData {
  /** Row-major samples, scaled as the model was trained. */
  images: Float32Array;
  /** One class label per sample, when known. */
  labels?: Uint8Array;
  /** Number of samples. */
  count: number;
  /** Image size (1 x D for flat rows). */
  height: number;
  width: number;
  /** Channels per pixel (1 for flat rows). */
  channels: number;
  /** `table` rows are drawn as line plots (default `image`). */
  kind?: "image" | "table";
  /** The name of class `i`, when the source names its classes. */
  classNames?: string[];
  /** What was read, for messages and `detect.json`. */
  source: string;
}

/** Options for {@linkcode loadDetectionData}. */
export interface LoadDetectionDataOptions {
  /** An IDX folder or a `.npy` file (default: the run's own test split). */
  path?: string;
}

/**
 * Loads and checks the samples to score.
 *
 * @example
 * ```ts
 * import { loadDetectionData } from "./data.ts";
 * import { resolveConfig } from "../train/config.ts";
 * const config = resolveConfig({ model: "conv" });
 * const { images, labels } = await loadDetectionData(config, [28, 28, 1]);
 * ```
 */
export async function loadDetectionData(
  config: RunConfig,
  inputShape: readonly number[],
  options: LoadDetectionDataOptions = {},
): Promise<DetectionData> {
  const size = inputShape.reduce((a, b) => a * b, 1);
  const path = options.path;
  let data: DetectionData;
  if (path?.endsWith(".npy")) {
    data = await readNpyImages(path, config);
  } else {
    // The run's own source as training read it, or another source given with --data, read with
    // the run's source options (CSV columns and scaling, image size and colour, test split).
    const { test } = await loadData(
      path ? { ...dataOptions(config), data: path, labels: undefined } : {
        ...dataOptions(config),
        testSize: config.testSize ?? undefined,
      },
    );
    data = {
      ...test,
      images: floatImages(test),
      source: `${path ?? config.data ?? "MNIST"} (test split)`,
    };
  }
  const sample = sampleSize(data);
  const imageShape = inputShape.length === 3 ? inputShape.slice(0, 2) : undefined;
  if (sample !== size || (imageShape && data.height !== imageShape[0])) {
    throw new UserError(
      `${data.source}: samples are ${data.height}x${data.width}${
        data.channels > 1 ? `x${data.channels}` : ""
      } = ${sample} values, but the ${config.model} ` +
        `model was trained on ${
          describeShape(recordedShape(config) ?? inputShape)
        } (${size} values)`,
    );
  }
  return data;
}

async function readNpyImages(path: string, config: RunConfig): Promise<DetectionData> {
  const bytes = await withPermission("read", path, () => Deno.readFile(path)).catch((e) => {
    if (e instanceof Deno.errors.NotFound) throw new UserError(`${path}: no such file`);
    throw e;
  });
  const array = readNpy(bytes, { source: path });
  const [count, ...rest] = array.shape;
  if (!(rest.length === 1 || rest.length === 2) || count === 0) {
    throw new UserError(
      `${path}: expected images N x H x W or rows N x D, found shape (${array.shape.join(", ")})`,
    );
  }
  const [height, width] = rest.length === 2 ? rest : [1, rest[0]];
  const raw = {
    images: pixelArray(array, path),
    labels: new Uint8Array(count),
    count,
    height,
    width,
  };
  // The run's stored scaling (older runs: fitted on these samples, as they were then).
  const scaling = imageScaling(raw.images, { stored: config.scaling });
  const data = scaleDataset({ ...raw, channels: 1 }, { scaling, scale: config.scale });
  const kind = rest.length === 1 ? "table" as const : "image" as const;
  return { images: floatImages(data), count, height, width, channels: 1, kind, source: path };
}
