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
  rows: number;
  cols: number;
  /** The column names, when the first line is not numeric. */
  header?: string[];
}

/** A malformed CSV table. */
export class CsvError extends UserError {
  override name = "CsvError";
}

/** Options for {@linkcode readCsv}. */
export interface ReadCsvOptions {
  /** Named in errors (default "csv"). */
  source?: string;
}

/**
 * Parses a numeric CSV table; the first line is a header when any of its
 * fields is not a number. Every row must have the header's (or the first
 * row's) number of fields.
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
  const cols = header?.length ?? head.length;
  const values: number[] = [];
  let rows = 0;
  for (let l = first; l < lines.length; l++) {
    if (lines[l].trim() === "") continue;
    const fields = split(lines[l]);
    if (fields.length !== cols) {
      throw new CsvError(`${source}: line ${l + 1}: expected ${cols} fields, got ${fields.length}`);
    }
    for (let c = 0; c < cols; c++) {
      const v = Number(fields[c]);
      if (fields[c] === "" || Number.isNaN(v)) {
        throw new CsvError(
          `${source}: line ${l + 1}, field ${c + 1}: "${fields[c]}" is not a number`,
        );
      }
      values.push(v);
    }
    rows++;
  }
  if (rows === 0) throw new CsvError(`${source}: no data rows`);
  return { data: Float32Array.from(values), rows, cols, header };
}
