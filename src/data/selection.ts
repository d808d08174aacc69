/**
 * What a run keeps of a source's train and test splits: the training
 * classes it asks for (the test split keeps every class), then seeded
 * subsets of either split. Every source (IDX folders, NumPy files) goes
 * through it.
 *
 * ```ts
 * import { selectSplits } from "./selection.ts";
 * import { loadMnist } from "./mnist.ts";
 * const splits = await loadMnist();
 * const { train, test } = selectSplits(splits, { trainClasses: [3], testSize: 500, source: "MNIST" });
 * ```
 *
 * @module
 */
import { type Dataset, subset } from "./dataset.ts";
import { selectClasses } from "./classes.ts";
import { UserError } from "../errors.ts";

/** Which samples of a source a run keeps. */
export interface SelectSplitsOptions {
  /** Keep a seeded random subset of this many training images (default: all). */
  trainSize?: number;
  /** Keep a seeded random subset of this many test images (default: all). */
  testSize?: number;
  /** Seed of the subsets (default 0). */
  seed?: number;
  /** Keep only these classes in the training split (default: all); the test split keeps every class. */
  trainClasses?: readonly number[];
  /** Drop these classes from the training split (default: none); the test split keeps every class. */
  excludeClasses?: readonly number[];
}

/**
 * The training classes asked for, then the seeded subsets; a size beyond
 * what the split holds is an error naming `source`.
 *
 * @example
 * ```ts
 * import { selectSplits } from "./selection.ts";
 * import type { Dataset } from "./dataset.ts";
 * function small(train: Dataset, test: Dataset) {
 *   return selectSplits({ train, test }, { trainSize: 100, testSize: 50, source: "data/x.npy" });
 * }
 * ```
 */
export function selectSplits(
  splits: { train: Dataset; test: Dataset },
  options: SelectSplitsOptions & { source: string },
): { train: Dataset; test: Dataset } {
  const { seed = 0, source } = options;
  let train = selectClasses(splits.train, {
    keep: options.trainClasses,
    drop: options.excludeClasses,
    source: `the training labels of ${source}`,
  });
  let test = splits.test;
  const sizes = [["trainSize", options.trainSize, train], [
    "testSize",
    options.testSize,
    test,
  ]] as const;
  for (const [option, size, split] of sizes) {
    if (size !== undefined && size > split.count) {
      throw new UserError(
        `${option} ${size} exceeds the ${split.count} ${
          option === "trainSize" && (options.trainClasses || options.excludeClasses)
            ? "training images of the selected classes"
            : option === "trainSize"
            ? "training images"
            : "test images"
        } in ${source}`,
      );
    }
  }
  if (options.trainSize !== undefined) train = subset(train, { size: options.trainSize, seed });
  if (options.testSize !== undefined) {
    test = subset(test, { size: options.testSize, seed: seed + 1 });
  }
  return { train, test };
}
