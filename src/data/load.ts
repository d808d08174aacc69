/**
 * A run's data from wherever `--data` points: MNIST itself (nothing given),
 * a folder of MNIST-format IDX files, or a `.npy` / `.npz` of images, told
 * apart by what the path is and what the file begins with, not by its name.
 * The training classes and subsets a run asks for apply to every source.
 *
 * ```ts
 * import { loadData } from "./load.ts";
 * const { train, test, description } = await loadData({ data: "data/mnist.npz", trainSize: 2000 });
 * ```
 *
 * @module
 */
import { loadMnist } from "./mnist.ts";
import { loadNumpyImages, type LoadNumpyImagesOptions } from "./numpy_images.ts";
import { selectSplits, type SelectSplitsOptions } from "./selection.ts";
import type { Dataset } from "./dataset.ts";
import type { Scaling } from "./scaling.ts";
import { UserError } from "../errors.ts";
import { withPermission } from "../io/permissions.ts";

/** Options for {@linkcode loadData}. */
export interface LoadDataOptions extends SelectSplitsOptions, LoadNumpyImagesOptions {
  /** A folder of IDX files, or a `.npy` / `.npz` file (default: the packaged MNIST). */
  data?: string;
}

/** A run's training and test sets, and what they were read from, for the log. */
export interface LoadedData {
  /** The training set (before any validation split). */
  train: Dataset;
  /** The test set. */
  test: Dataset;
  /** How the inputs were scaled (record it in the run: `RunConfig.scaling`). */
  scaling: Scaling;
  /** What was read and how, for a NumPy source (shape, dtype, layout, scaling, test split). */
  description?: string;
}

/**
 * Loads the training and test sets `options.data` names.
 *
 * @example
 * ```ts
 * import { loadData } from "./load.ts";
 * const { train } = await loadData({ data: "data/x.npy", labels: "data/y.npy", testSplit: 0.1 });
 * ```
 */
export async function loadData(options: LoadDataOptions = {}): Promise<LoadedData> {
  const { data } = options;
  const stat = data === undefined ? undefined : await withPermission(
    "read",
    data,
    () => Deno.stat(data),
  ).catch((e) => {
    if (e instanceof Deno.errors.NotFound) throw new UserError(`${data}: no such file or folder`);
    throw e;
  });
  if (!stat || stat.isDirectory) {
    for (const key of ["labels", "layout", "testSplit"] as const) {
      if (options[key] !== undefined) {
        throw new UserError(
          `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} applies to .npy/.npz data; ` +
            `${data ?? "MNIST"} has its own labels, layout and test split`,
        );
      }
    }
    return { ...await loadMnist({ ...options, dir: data }), scaling: { kind: "divide", by: 255 } };
  }
  const { train, test, scaling, description } = await loadNumpyImages(data!, options);
  return { ...selectSplits({ train, test }, { ...options, source: data! }), scaling, description };
}
