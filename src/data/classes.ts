/**
 * Keeping or dropping labelled classes of a dataset: the one-class protocol
 * of anomaly detection trains on the normal classes only (`--train-classes`)
 * and evaluates on a test set that keeps them all.
 *
 * ```ts
 * import { parseClassList, selectClasses } from "./classes.ts";
 * const keep = parseClassList("3,5", "--train-classes"); // [3, 5]
 * import { loadMnist } from "./mnist.ts";
 * const { train } = await loadMnist();
 * const normal = selectClasses(train, { keep }); // only the 3s and 5s
 * ```
 *
 * @module
 */
import { type Dataset, take } from "./dataset.ts";
import { UserError } from "../errors.ts";

/** Options for {@linkcode selectClasses}: give one of `keep` and `drop`. */
export interface SelectClassesOptions {
  /** Keep only samples of these classes. */
  keep?: readonly number[];
  /** Drop the samples of these classes. */
  drop?: readonly number[];
  /** Named in errors (default `the data`). */
  source?: string;
}

/**
 * The samples of `data` whose class is kept (in their original order). A
 * class that no sample has is an error, as is a selection that leaves nothing.
 *
 * @example
 * ```ts
 * const data = { images: new Float32Array(3), labels: Uint8Array.of(0, 1, 0), count: 3, height: 1, width: 1, channels: 1 };
 * selectClasses(data, { drop: [0] }).count; // 1
 * ```
 */
export function selectClasses(data: Dataset, options: SelectClassesOptions): Dataset {
  const { keep, drop, source = "the data" } = options;
  if (keep && drop) {
    throw new UserError("give either the classes to keep or those to drop, not both");
  }
  const named = keep ?? drop;
  if (!named) return data;
  const present = new Set(data.labels);
  const missing = named.filter((c) => !present.has(c));
  if (missing.length) {
    throw new UserError(
      `class ${missing.join(", ")} does not occur in ${source} (classes: ${
        [...present].sort((a, b) => a - b).join(", ")
      })`,
    );
  }
  const wanted = new Set(named);
  const pick: number[] = [];
  for (let i = 0; i < data.count; i++) {
    if (wanted.has(data.labels[i]) === (keep !== undefined)) pick.push(i);
  }
  if (pick.length === 0) {
    throw new UserError(`dropping class ${named.join(", ")} leaves no samples`);
  }
  return take(data, pick);
}

/**
 * Parses a comma-separated list of class indices such as `3,5`, naming `flag`
 * in the error for anything else.
 *
 * @example
 * ```ts
 * parseClassList("0, 9", "--exclude-classes"); // [0, 9]
 * ```
 */
export function parseClassList(text: string, flag: string): number[] {
  const items = text.split(",").map((s) => s.trim());
  const out = items.map((s) => {
    const n = Number(s);
    if (s === "" || !Number.isInteger(n) || n < 0 || n > 255) {
      throw new UserError(`${flag} ${text}: expected class indices 0-255 separated by commas`);
    }
    return n;
  });
  return [...new Set(out)];
}
