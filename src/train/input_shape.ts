/**
 * How a run's model follows its data: the shape of one sample (`[H, W, C]`
 * for images, `[D]` for table rows), whether the values are unbounded
 * (standardized tables: a linear output and MSE), and how many classes the
 * labels have. A new run records them in `config.json` so that `--resume`,
 * `loadRun` and everything after rebuild the same model; a run made before
 * shapes were recorded was trained on MNIST's 28x28x1.
 *
 * ```ts
 * import { sampleShape } from "./input_shape.ts";
 * sampleShape({ height: 32, width: 32, channels: 3 }); // [32, 32, 3]
 * sampleShape({ height: 1, width: 20, channels: 1, kind: "table" }); // [20]
 * ```
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import type { LossName, ModelSpec } from "../models/model.ts";
import { checkInputShape, describeShape, MNIST_SHAPE } from "../models/_shape.ts";
import { sourceKind } from "../data/load.ts";
import { UserError } from "../errors.ts";
import type { RunConfig } from "./config.ts";

export { describeShape };

/**
 * The shape of one sample of `data` as the models take it: `[D]` for a
 * table's rows (`kind: "table"`), `[height, width, channels]` for images.
 *
 * @example
 * ```ts
 * import { sampleShape } from "./input_shape.ts";
 * sampleShape({ height: 28, width: 28, channels: 1 }); // [28, 28, 1]
 * ```
 */
export function sampleShape(
  data: Pick<Dataset, "height" | "width" | "channels" | "kind">,
): number[] {
  return data.kind === "table"
    ? [data.height * data.width * data.channels]
    : [data.height, data.width, data.channels];
}

/**
 * The sample shape a run's model was (or will be) built for: the recorded
 * one, else MNIST's for runs on the packaged MNIST and runs made before
 * shapes were recorded; `undefined` while a new run's `--data` is unread.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * import { recordedShape } from "./input_shape.ts";
 * recordedShape(resolveConfig({ model: "conv" })); // [28, 28, 1]: the packaged MNIST
 * ```
 */
export function recordedShape(
  config: Pick<RunConfig, "inputShape" | "data">,
  options: { newRun?: boolean } = {},
): readonly number[] | undefined {
  if (config.inputShape) return config.inputShape;
  return options.newRun && config.data !== null ? undefined : MNIST_SHAPE;
}

/**
 * Refuses, before any data is read, a model that cannot take the samples
 * `config`'s source will give, when the options tell their shape: the
 * recorded shape (resuming), the packaged MNIST's 28x28x1, CIFAR-10's
 * 32x32x3, an image folder's `--image-size` (its channels do not decide
 * any model's refusal), or a CSV's table rows. Other sources (IDX and
 * NumPy files, image folders of one size) are checked as soon as they are
 * read, before the model is built or a run folder is written.
 */
export async function checkBeforeLoading(
  spec: Pick<ModelSpec, "name" | "accepts" | "refuses">,
  config: Pick<RunConfig, "inputShape" | "data" | "imageSize" | "grayscale">,
  options: { newRun: boolean },
): Promise<void> {
  const known = recordedShape(config, options);
  if (known) return void checkInputShape(spec, known);
  const kind = await sourceKind(config.data!);
  if (kind === "cifar") return void checkInputShape(spec, [32, 32, 3]);
  if (kind === "images" && config.imageSize) {
    const [h, w] = config.imageSize.split("x").map(Number);
    return void checkInputShape(spec, [h, w, config.grayscale ? 1 : 3]);
  }
  const why = kind === "csv" ? spec.refuses?.([1]) : undefined;
  if (why !== undefined) {
    throw new UserError(
      `the ${spec.name} model takes ${spec.accepts}, not ${config.data}'s table rows: ${why}`,
    );
  }
}

/**
 * The smallest and largest value of `data`'s samples (0 and 1 bounds for
 * integer pixels, which are scaled into [0, 1] or [-1, 1] as gathered).
 */
function valueRange(data: Pick<Dataset, "images">): [number, number] {
  const { images } = data;
  if (!(images instanceof Float32Array)) return [0, 1];
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < images.length; i++) {
    const v = images[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Options of {@linkcode fitConfigToData}. */
export interface FitToDataOptions {
  /** The loss the caller asked for, if any (else the model's default, which unbounded data may change). */
  loss?: LossName;
  /** Where the line saying the loss changed goes (default: nowhere). */
  log?: (line: string) => void;
  /** The test set, whose labels count among the classes too (default: none). */
  test?: Pick<Dataset, "labels" | "classNames">;
}

/**
 * A new run's settings fitted to its training data: the sample shape (which
 * the model must take), `unbounded` when values leave the model's range
 * ([0, 1], or [-1, 1] for `scale: "symmetric"`), then MSE unless another
 * loss was asked for (BCE on such data is an error saying why), the number
 * of classes, and the code size of a model whose architecture fixes it.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * import { fitConfigToData } from "./input_shape.ts";
 * const table = { images: Float32Array.of(-1.5, 2, 0.3, -0.2), labels: Uint8Array.of(0, 1), count: 2,
 *   height: 1, width: 2, channels: 1, kind: "table" as const };
 * const config = fitConfigToData(resolveConfig({ model: "vae" }), table, {});
 * config.loss; // "mse": standardized rows are not probabilities
 * ```
 */
export function fitConfigToData(
  config: RunConfig,
  data: Dataset,
  options: FitToDataOptions,
  spec?: Pick<ModelSpec, "name" | "accepts" | "refuses" | "latentDimFor">,
): RunConfig {
  const inputShape = sampleShape(data);
  if (spec) checkInputShape(spec, inputShape);
  const [lo, hi] = valueRange(data);
  const floor = config.scale === "symmetric" ? -1 : 0;
  const unbounded = lo < floor || hi > 1;
  if (unbounded && config.noise === "saltpepper") {
    throw new UserError(
      `--noise saltpepper sets values to the ends of their range, and this data's values run ` +
        `from ${lo.toPrecision(4)} to ${
          hi.toPrecision(4)
        } without one: use --noise gaussian or mask`,
    );
  }
  let loss = options.loss ?? config.loss;
  if (unbounded && loss === "bce") {
    if (options.loss === "bce") {
      throw new UserError(
        `--loss bce compares outputs in [0, 1] with targets in [0, 1], and this data's values ` +
          `run from ${lo.toPrecision(4)} to ${hi.toPrecision(4)}: use --loss mse (the default ` +
          `for such data) or scale the data into [0, 1] (--normalize minmax)`,
      );
    }
    loss = "mse";
  }
  if (unbounded) {
    options.log?.(
      `values from ${lo.toPrecision(4)} to ${hi.toPrecision(4)} are not in [${floor}, 1]: ` +
        `the decoder's output is linear` +
        (loss === config.loss ? "" : `, and the loss MSE (instead of ${config.model}'s BCE)`),
    );
  }
  return {
    ...config,
    loss,
    inputShape,
    unbounded,
    classes: Math.max(classCount(data), ...(options.test ? [classCount(options.test)] : [])),
    ...(spec?.latentDimFor && { latentDim: spec.latentDimFor(inputShape) }),
  };
}

/** The classes `data` names, or its largest label + 1. */
function classCount(data: Pick<Dataset, "labels" | "classNames">): number {
  let max = 0;
  for (const l of data.labels) if (l > max) max = l;
  return Math.max(data.classNames?.length ?? 0, max + 1);
}

/**
 * Checks that `data` has the samples a saved run's model was built for.
 *
 * @example
 * ```ts
 * import { checkSameShape } from "./input_shape.ts";
 * checkSameShape({ height: 28, width: 28, channels: 1 }, [28, 28, 1], "runs/conv-1"); // fine
 * ```
 */
export function checkSameShape(
  data: Pick<Dataset, "height" | "width" | "channels" | "kind">,
  shape: readonly number[],
  runDir: string,
): void {
  const got = sampleShape(data);
  if (got.join("x") !== shape.join("x")) {
    throw new UserError(
      `${runDir} was trained on ${describeShape(shape)}, and its data now gives ${
        describeShape(got)
      }`,
    );
  }
}
