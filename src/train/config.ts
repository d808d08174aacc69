/**
 * The settings of a run: what every model takes besides its own defaults,
 * and how a run's options resolve over the model's defaults into the
 * `RunConfig` that `config.json` records and `--resume` reads back.
 *
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * const config = resolveConfig({ model: "conv", epochs: 1 });
 * console.log(config.batchSize, config.seed); // conv's default batch size, seed 0
 * ```
 *
 * @module
 */
import type { BackendRequest } from "../backend/backend.ts";
import { getModel } from "../models/registry.ts";
import type { ModelDefaults, ModelOwnSettings, NoiseName } from "../models/model.ts";
import { OptionError, optionsOf, validateSettings } from "./options.ts";
import type { Layout } from "../data/numpy_images.ts";
import type { LoadDataOptions } from "../data/load.ts";
import type { Scaling } from "../data/scaling.ts";

/** What `--workers` takes: a count of threads, or `auto`. */
export type WorkersRequest = number | "auto";
/** What `--parallel` takes: `replicas`, `kernels` or `auto` (see `chooseWorkers`). */
export type ParallelRequest = "replicas" | "kernels" | "auto";
import type { NormalizeMethod } from "../data/scaling.ts";

/** Settings every model takes, with their defaults. */
export interface CommonSettings {
  /** Dropout rate after every hidden layer (default 0: none). */
  dropout: number;
  /** Stop when the validation loss has not improved for this many epochs, keeping the best (default 0: never). */
  earlyStopping: number;
  /** Corrupt training inputs (default `none`, the denoising AE's own otherwise). */
  noise: NoiseName;
  /** Strength of the corruption: gaussian sigma, or the fraction of pixels masked / salted. */
  noiseLevel: number;
}

/** The settings of a new run; unset hyper-parameters take the model's defaults. */
export interface RunSettings
  extends Partial<ModelDefaults>, Partial<CommonSettings>, ModelOwnSettings {
  /** Model name from the zoo, e.g. `conv`. */
  model: string;
  /** Seed of initialisation, data order and subsets (default 0). */
  seed?: number;
  /** Backend (default `auto`). */
  backend?: BackendRequest;
  /** Threads training in parallel, the main thread's included (default `auto`; see `chooseWorkers`). */
  workers?: WorkersRequest;
  /** How they share a step (default `auto`; see `chooseWorkers`). */
  parallel?: ParallelRequest;
  /** Folder of the four IDX files, or a `.npy` / `.npz` of images (default: the packaged MNIST). */
  data?: string;
  /** A `.npy` of labels for a `.npy` `data` (default: none, or the archive's). */
  labels?: string;
  /** The layout of `.npy` / `.npz` images (default: read from the shape). */
  layout?: Layout;
  /** Fraction of data without a test split (`.npy`, CSV, image folders) held out as the test set (default 0.2). */
  testSplit?: number;
  /** The CSV column holding each row's class (default: none). */
  labelColumn?: string;
  /** CSV columns left out of the features (default: none). */
  ignoreColumns?: string[];
  /** CSV feature scaling, fitted on the training rows (default `minmax`). */
  normalize?: NormalizeMethod;
  /** Resize an image folder's images to `HxW` (default: keep their one size). */
  imageSize?: string;
  /** Convert an image folder's images to grey (default false). */
  grayscale?: boolean;
  /** Keep a seeded subset of the training set (default: all). */
  trainSize?: number;
  /**
   * Hold out this seeded fraction of the training data (after `trainSize`
   * and the class selection) as the validation set that early stopping and
   * `best/` select on (default 0.1 with `earlyStopping`, else 0: none).
   */
  valSplit?: number;
  /** Keep a seeded subset of the test set (default: all). */
  testSize?: number;
  /** Train on these classes only, e.g. `[3]` for the one-class protocol (default: all); the test set keeps all. */
  trainClasses?: number[];
  /** Leave these classes out of training (default: none); the test set keeps all. */
  excludeClasses?: number[];
}

/** The settings a run was made with: written to `config.json` and read back by `--resume`. */
export interface RunConfig
  extends Omit<ModelDefaults, keyof CommonSettings>, CommonSettings, ModelOwnSettings {
  /** Model name from the zoo. */
  model: string;
  /** Seed of every random draw: weights, data order, subsets, noise, dropout. */
  seed: number;
  /** The backend asked for (`auto` chooses again when the run is resumed). */
  backend: BackendRequest;
  /**
   * The replicas asked for (`auto` chooses again when the run is resumed;
   * absent in runs made before workers, which trained on one).
   */
  workers?: WorkersRequest;
  /**
   * How they share a step (`auto` chooses again when the run is resumed;
   * absent in runs made before kernel threads, whose workers were replicas).
   */
  parallel?: ParallelRequest;
  /** Folder of the IDX files or `.npy` / `.npz` file, or `null` for the packaged MNIST. */
  data: string | null;
  /** Labels file of a `.npy` source, or `null` (absent in runs made before NumPy sources). */
  labels?: string | null;
  /** Layout of a NumPy source's images, or `null` to read it from the shape (absent in older runs). */
  layout?: Layout | null;
  /** Test fraction of a source without a test split, or `null` for 0.2 (absent in older runs). */
  testSplit?: number | null;
  /** A CSV source's label column, or `null` (absent in runs made before CSV sources). */
  labelColumn?: string | null;
  /** A CSV source's ignored columns, or `null` (absent in older runs). */
  ignoreColumns?: string[] | null;
  /** A CSV source's feature scaling, or `null` for `minmax` (absent in older runs). */
  normalize?: NormalizeMethod | null;
  /** An image folder's resize, `HxW`, or `null` for none (absent in older runs). */
  imageSize?: string | null;
  /** Whether an image folder's images were made grey, or `null` for no (absent in older runs). */
  grayscale?: boolean | null;
  /** Size of the seeded training subset, or `null` for all of it. */
  trainSize: number | null;
  /** Size of the seeded test subset, or `null` for all of it. */
  testSize: number | null;
  /**
   * Fraction of the training data held out for validation (0: none). Absent
   * in runs made before validation splits, whose early stopping and `best/`
   * selected on the test set.
   */
  valSplit?: number;
  /** The only classes trained on, or `null` for all (absent in runs made before the option). */
  trainClasses?: number[] | null;
  /** The classes left out of training, or `null` for none (absent in older runs). */
  excludeClasses?: number[] | null;
  /**
   * Shape of one sample, which the model was built for: `[H, W, C]` images
   * or `[D]` table rows (absent in runs made before shapes were recorded,
   * which were trained on MNIST's `[28, 28, 1]`).
   */
  inputShape?: number[];
  /** Whether the data's values were unbounded, giving the decoder a linear output (absent: false). */
  unbounded?: boolean;
  /** Number of classes of the labels (absent: 10). */
  classes?: number;
  /**
   * How the inputs were scaled, fitted on the training split when the run
   * began and reapplied, never refitted, wherever the run's data is read
   * again (absent in runs made before it was recorded: fitted again).
   */
  scaling?: Scaling;
}

/**
 * The full settings of a new run: `settings` over the model's defaults,
 * after checking each against its declaration (an option the model does not
 * take, or a value out of range, is an `OptionError`). Early stopping
 * selects on a validation set, so it holds one out by default and refuses
 * `valSplit: 0`.
 *
 * @example
 * ```ts
 * import { resolveConfig } from "./config.ts";
 * resolveConfig({ model: "vae" }).latentDim; // 2, the VAE's default
 * ```
 */
export function resolveConfig(settings: RunSettings): RunConfig {
  validateSettings({ ...settings });
  const spec = getModel(settings.model);
  const declared = optionsOf(spec.name).filter((o) => o.default !== undefined)
    .map((o) => [o.key, o.default]);
  const defaults: Record<string, unknown> = {
    ...Object.fromEntries(declared),
    ...spec.defaults,
    data: null,
    labels: null,
    layout: null,
    testSplit: null,
    labelColumn: null,
    ignoreColumns: null,
    normalize: null,
    imageSize: null,
    grayscale: null,
    trainSize: null,
    testSize: null,
    trainClasses: null,
    excludeClasses: null,
  };
  const earlyStopping = settings.earlyStopping ?? 0;
  if (earlyStopping > 0 && settings.valSplit === 0) {
    throw new OptionError(
      "--early-stopping selects the best epoch on a validation set: --val-split must be above 0 " +
        "(default 0.1 with early stopping)",
    );
  }
  defaults.valSplit = earlyStopping > 0 ? 0.1 : 0;
  const given = Object.keys(defaults).filter((k) => settings[k as keyof RunSettings] !== undefined)
    .map((k) => [k, settings[k as keyof RunSettings]]);
  return { model: spec.name, ...defaults, ...Object.fromEntries(given) } as unknown as RunConfig;
}

/**
 * What `loadData` needs of a run's settings to read its data as training
 * did: the source, its labels, layout and test split, the pixel range, the
 * stored input scaling and the seed (the subsets and classes are the
 * caller's to add).
 *
 * @example
 * ```ts
 * import { dataOptions, resolveConfig } from "./config.ts";
 * import { loadData } from "../data/load.ts";
 * const { test } = await loadData({ ...dataOptions(resolveConfig({ model: "conv" })), testSize: 100 });
 * ```
 */
export function dataOptions(config: RunConfig): LoadDataOptions {
  return {
    data: config.data ?? undefined,
    labels: config.labels ?? undefined,
    layout: config.layout ?? undefined,
    testSplit: config.testSplit ?? undefined,
    labelColumn: config.labelColumn ?? undefined,
    ignoreColumns: config.ignoreColumns ?? undefined,
    normalize: config.normalize ?? undefined,
    imageSize: config.imageSize ?? undefined,
    grayscale: config.grayscale ?? undefined,
    scale: config.scale,
    scaling: config.scaling,
    seed: config.seed,
  };
}
