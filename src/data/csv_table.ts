/**
 * Training data from a CSV table with a header row: every column is a
 * numeric feature except the label column (`labelColumn`, numbers or text)
 * and the ignored ones (`ignoreColumns`: ids, dates). Rows become samples of
 * a `table` dataset (height 1, width = the number of features, one channel).
 *
 * Labels that are all integers 0-255 are the class indices themselves; any
 * other labels (text, negative or fractional numbers) are classes numbered in
 * sorted order (numerically when all are numbers), their text kept as
 * `classNames`. A CSV has no test split: a seeded `testSplit` of its rows is
 * one. The features are scaled per column, fitted on the training split only
 * (before any class selection or subset, so every task that reloads the run
 * scales alike): `minmax` (default, to [0, 1] on the training rows; test rows
 * may fall outside), `standard` (zero mean, unit variance) or `none`.
 *
 * ```ts
 * import { loadCsvTable } from "./csv_table.ts";
 * const { train, test, description } = await loadCsvTable("data/ecg.csv", { labelColumn: "label" });
 * console.log(train.width, train.classNames, description);
 * ```
 *
 * @module
 */
import { readCsv } from "../io/csv.ts";
import { withPermission } from "../io/permissions.ts";
import { UserError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import {
  describeScaling,
  fitScaling,
  type NormalizeMethod,
  scaleDataset,
  type Scaling,
} from "./scaling.ts";
import { heldOutTestSplit, type TestSplitOptions } from "./test_split.ts";

/** Options for {@linkcode loadCsvTable}. */
export interface LoadCsvTableOptions extends TestSplitOptions {
  /** The header name of the column holding each row's class (default: none; the rows are unlabelled). */
  labelColumn?: string;
  /** Header names of columns to leave out (default: none). */
  ignoreColumns?: readonly string[];
  /** Per-feature scaling fitted on the training split (default `minmax`). */
  normalize?: NormalizeMethod;
  /** A saved run's scaling, applied instead of fitting one (default: fitted on the training rows). */
  scaling?: Scaling;
}

/** The splits of a table and a line that says what was read and how. */
export interface LoadedTable {
  /** The training rows, scaled. */
  train: Dataset;
  /** The seeded held-out test rows, scaled as the training rows were. */
  test: Dataset;
  /** How the features were scaled: fitted on the training rows, or the saved run's. */
  scaling: Scaling;
  /** For the log: rows, features, labels, scaling, the test split. */
  description: string;
}

/** Class indices of `cells`, and the class names when the cells are not already indices. */
function classesOf(cells: string[], source: string): { labels: Uint8Array; names?: string[] } {
  const numbers = cells.map(Number);
  const numeric = cells.every((c, i) => c !== "" && Number.isFinite(numbers[i]));
  if (numeric && numbers.every((v) => Number.isInteger(v) && v >= 0 && v <= 255)) {
    return { labels: Uint8Array.from(numbers) };
  }
  const distinct = [...new Set(cells)];
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  if (distinct.length > 256) {
    throw new UserError(
      `${source}: ${distinct.length} distinct labels; at most 256 classes are supported`,
    );
  }
  const index = new Map(distinct.map((name, i) => [name, i]));
  return { labels: Uint8Array.from(cells, (c) => index.get(c)!), names: distinct };
}

/**
 * Reads a CSV table (see the module doc) into scaled training and test sets.
 * A text or empty cell in a feature column, or a row of another length, is
 * an error naming `path:line:column`.
 *
 * @example
 * ```ts
 * import { loadCsvTable } from "./csv_table.ts";
 * const { train } = await loadCsvTable("data/sensors.csv", {
 *   labelColumn: "machine",
 *   ignoreColumns: ["id", "date"],
 *   normalize: "standard",
 * });
 * ```
 */
export async function loadCsvTable(
  path: string,
  options: LoadCsvTableOptions = {},
): Promise<LoadedTable> {
  const { normalize = "minmax" } = options;
  const text = await withPermission("read", path, () => Deno.readTextFile(path));
  const table = readCsv(text, {
    source: path,
    labelColumn: options.labelColumn,
    ignoreColumns: options.ignoreColumns,
  });
  if (!table.header) {
    throw new UserError(`${path}:1: expected a header row naming the columns, found numbers`);
  }
  const { labels, names } = table.labels
    ? classesOf(table.labels, `${path}: column "${options.labelColumn}"`)
    : { labels: new Uint8Array(table.rows) };
  const all: Dataset = {
    images: table.data,
    labels,
    count: table.rows,
    height: 1,
    width: table.cols,
    channels: 1,
    kind: "table",
    ...(names && { classNames: names }),
  };
  const { train, test, split } = heldOutTestSplit(all, { ...options, source: path });
  const scaling = options.scaling ??
    fitScaling(train.images, { method: normalize, features: table.cols });
  const classes = names
    ? `${names.length} classes from column "${options.labelColumn}"`
    : table.labels
    ? `class indices from column "${options.labelColumn}"`
    : "no labels";
  return {
    train: scaleDataset(train, { scaling }),
    test: scaleDataset(test, { scaling }),
    scaling,
    description: `${path}: CSV table of ${table.rows} rows x ${table.cols} numeric features, ` +
      `${classes}${
        options.ignoreColumns?.length ? `, ignoring ${options.ignoreColumns.join(", ")}` : ""
      }; ${describeScaling(scaling)}${
        options.scaling ? " (the run's)" : ` (--normalize ${normalize})`
      }; ${split}`,
  };
}
