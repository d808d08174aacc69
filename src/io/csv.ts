/**
 * Numeric CSV tables: comma-separated rows of numbers, with an optional
 * header line, read into a row-major Float32Array.
 *
 * ```ts
 * import { readCsv } from "./csv.ts";
 * const { data, rows, cols, header } = readCsv("a,b\n1,2\n3,4\n");
 * // Float32Array [1, 2, 3, 4], 2, 2, ["a", "b"]
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** A numeric table. */
export interface CsvTable {
  /** rows x cols, row-major. */
  data: Float32Array;
  /** Data rows (the header line not counted). */
  rows: number;
  /** Numeric columns (the label and ignored columns not counted). */
  cols: number;
  /** The column names, when the first line is not numeric (label and ignored columns included). */
  header?: string[];
  /** The label column's cells, as text, when `labelColumn` was given. */
  labels?: string[];
}

/** A malformed CSV table. */
export class CsvError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "CsvError";
}

/** Options for {@linkcode readCsv}. */
export interface ReadCsvOptions {
  /** Named in errors (default "csv"). */
  source?: string;
  /**
   * A column of the header holding each row's label (numbers or text),
   * returned as `labels` and left out of `data` (default: none).
   */
  labelColumn?: string;
  /** Columns of the header left out of the table, such as ids and dates (default: none). */
  ignoreColumns?: readonly string[];
}

/**
 * Parses a numeric CSV table; the first line is a header when any of its
 * fields is not a number. Every row must have the header's (or the first
 * row's) number of fields. Errors name the place as `source:line:column`
 * (1-based, the header is line 1) and say what was expected there.
 *
 * @example
 * ```ts
 * const table = readCsv(await Deno.readTextFile("features.csv"), { source: "features.csv" });
 * ```
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): CsvTable {
  const source = options.source ?? "csv";
  const lines = text.split(/\r?\n/);
  const split = (line: string) => line.split(",").map((f) => f.trim().replace(/^"(.*)"$/, "$1"));
  let first = 0;
  while (first < lines.length && lines[first].trim() === "") first++;
  if (first === lines.length) throw new CsvError(`${source}: no rows`);
  let header: string[] | undefined;
  const head = split(lines[first]);
  if (head.some((f) => f === "" || !Number.isFinite(Number(f)))) {
    header = head;
    first++;
  }
  const width = header?.length ?? head.length;
  const column = (name: string) => {
    const at = header?.indexOf(name) ?? -1;
    if (at < 0) {
      throw new CsvError(
        `${source}: no column "${name}"${
          header ? ` (columns: ${header.join(", ")})` : " (the file has no header line)"
        }`,
      );
    }
    return at;
  };
  const labelAt = options.labelColumn === undefined ? -1 : column(options.labelColumn);
  const skip = new Set((options.ignoreColumns ?? []).map(column));
  const kept = [...Array(width).keys()].filter((c) => c !== labelAt && !skip.has(c));
  const cols = kept.length;
  if (cols === 0) throw new CsvError(`${source}: no feature columns left`);
  const values: number[] = [];
  const labels: string[] = [];
  let rows = 0;
  for (let l = first; l < lines.length; l++) {
    if (lines[l].trim() === "") continue;
    const fields = split(lines[l]);
    if (fields.length !== width) {
      throw new CsvError(
        `${source}:${l + 1}: ${fields.length} fields; expected ${width}, as ${
          header ? "the header has" : "the first row has"
        }`,
      );
    }
    if (labelAt >= 0) labels.push(fields[labelAt]);
    for (const c of kept) {
      const v = Number(fields[c]);
      if (fields[c] === "" || Number.isNaN(v)) {
        throw new CsvError(
          `${source}:${l + 1}:${c + 1}: ${fields[c] === "" ? "an empty cell" : `"${fields[c]}"`}${
            header ? ` in column "${header[c]}"` : ""
          }; expected a number`,
        );
      }
      values.push(v);
    }
    rows++;
  }
  if (rows === 0) throw new CsvError(`${source}: no data rows`);
  return {
    data: Float32Array.from(values),
    rows,
    cols,
    header,
    ...(labelAt >= 0 && { labels }),
  };
}
