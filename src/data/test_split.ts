/**
 * The seeded test split of a source that has none (a `.npy`, a CSV table, an
 * image folder without `train/` and `test/`): `--test-split` (default 0.2)
 * of its samples, drawn from the run's seed, and a phrase for the log that
 * says so.
 *
 * ```ts
 * import { heldOutTestSplit } from "./test_split.ts";
 * import { loadMnist } from "./mnist.ts";
 * const { test: all } = await loadMnist();
 * const { train, test, split } = heldOutTestSplit(all, { testSplit: 0.25, seed: 0, source: "MNIST test" });
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { deriveSeed } from "../random.ts";
import { type Dataset, holdOut } from "./dataset.ts";

/** How a source without a test split gets one. */
export interface TestSplitOptions {
  /** Fraction held out as the test set when the source has none (default 0.2). */
  testSplit?: number;
  /** Seed of that test split (default 0). */
  seed?: number;
}

/**
 * `data` split into a training set and a seeded held-out test set of
 * `testSplit` of its samples; 0 is refused (a run needs a test set), naming
 * `source`.
 *
 * @example
 * ```ts
 * import { heldOutTestSplit } from "./test_split.ts";
 * import type { Dataset } from "./dataset.ts";
 * const split = (data: Dataset) => heldOutTestSplit(data, { testSplit: 0.1, source: "x.csv" });
 * ```
 */
export function heldOutTestSplit(
  data: Dataset,
  options: TestSplitOptions & { source: string },
): { train: Dataset; test: Dataset; split: string } {
  const fraction = options.testSplit ?? 0.2;
  if (fraction === 0) {
    throw new UserError(`${options.source} has no test split: --test-split must be above 0`);
  }
  const parts = holdOut(data, {
    fraction,
    seed: deriveSeed(options.seed ?? 0, 0x7e57),
    name: "test set (--test-split)",
  });
  return {
    train: parts.rest,
    test: parts.held!,
    split: `no test split in it: a seeded ${Math.round(fraction * 1000) / 10}% is the test set ` +
      "(--test-split)",
  };
}
