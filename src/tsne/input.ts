/**
 * What `deno task tsne` embeds: a run folder's exported test features, a
 * 2-D `.npy` of any numeric dtype (with labels from another `.npy`, int64
 * as numpy writes them included), a `.npz` with the test features under a
 * key its run-folder archive uses (`test_features`, `features`, `x_test`),
 * or a numeric CSV (labels from a column named `label`).
 *
 * ```ts
 * import { loadTsneInput } from "./input.ts";
 * const { data, dims, labels } = await loadTsneInput("runs/conv", {});
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { exists } from "../io/atomic.ts";
import { readCsv } from "../io/csv.ts";
import { type NpyArray, readNpy } from "../io/npy.ts";
import { readNpz } from "../io/npz.ts";
import { readRunFile, RUN_FILES } from "../run/run_folder.ts";

/** Points to embed, with their labels if known. */
export interface TsneInput {
  /** n x dims, row-major. */
  data: Float32Array;
  n: number;
  dims: number;
  labels?: Uint8Array;
  /** The name of class `i`, from a run folder's `class_names.json` (default: none). */
  classNames?: string[];
  /** The files the data and labels came from. */
  sources: string[];
  /** Where outputs go by default: the run folder, or the input file's folder. */
  defaultOutDir: string;
}

/** Options for {@linkcode loadTsneInput}. */
export interface LoadTsneInputOptions {
  /** A `.npy` (1-D integers or floats) or one-column CSV of labels, one per row. */
  labels?: string;
}

/** An input that cannot be embedded, with what was expected. */
export class TsneInputError extends UserError {
  override name = "TsneInputError";
}

/** What is read from a run folder: its features archive, or its test arrays as `.npy` files. */
export const RUN_FOLDER_INPUT = {
  archive: RUN_FILES.features,
  /** Keys tried in the archive: the run's own, then names other tools use. */
  archiveKeys: {
    features: [RUN_FILES.featureArrays[2], "features", "x_test"],
    labels: [RUN_FILES.featureArrays[3], "labels", "y_test"],
  },
  features: `${RUN_FILES.featureArrays[2]}.npy`,
  labels: `${RUN_FILES.featureArrays[3]}.npy`,
} as const;

function matrix(a: NpyArray, source: string): { data: Float32Array; n: number; dims: number } {
  if (a.shape.length !== 2) {
    throw new TsneInputError(
      `${source}: expected a 2-D array (n, dims), got shape (${a.shape.join(", ")})`,
    );
  }
  const data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data);
  return { data, n: a.shape[0], dims: a.shape[1] };
}

function labelArray(values: ArrayLike<number>, source: string): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v > 255) {
      throw new TsneInputError(`${source}: label ${i} is ${v}; expected integers 0-255`);
    }
    out[i] = v;
  }
  return out;
}

async function readLabels(path: string): Promise<Uint8Array> {
  if (path.endsWith(".csv")) {
    const t = readCsv(await Deno.readTextFile(path), { source: path });
    if (t.cols !== 1) {
      throw new TsneInputError(`${path}: expected one column of labels, got ${t.cols}`);
    }
    return labelArray(t.data, path);
  }
  const a = readNpy(await Deno.readFile(path), { source: path });
  if (a.shape.length !== 1) {
    throw new TsneInputError(`${path}: expected 1-D labels, got shape (${a.shape.join(", ")})`);
  }
  return labelArray(a.data, path);
}

/** The test features (and labels) of a `.npz` archive, by the keys of {@linkcode RUN_FOLDER_INPUT}. */
async function loadArchive(archive: string): Promise<Omit<TsneInput, "defaultOutDir">> {
  const arrays = readNpz(await Deno.readFile(archive), { source: archive });
  const pick = (keys: readonly string[]) => keys.map((k) => arrays[k]).find((a) => a);
  const features = pick(RUN_FOLDER_INPUT.archiveKeys.features);
  if (!features) {
    throw new TsneInputError(
      `${archive}: no test features: expected one of ${
        RUN_FOLDER_INPUT.archiveKeys.features.join(", ")
      }, ` +
        `found ${Object.keys(arrays).join(", ") || "nothing"}`,
    );
  }
  const labels = pick(RUN_FOLDER_INPUT.archiveKeys.labels);
  return {
    ...matrix(features, archive),
    labels: labels ? labelArray(labels.data, archive) : undefined,
    sources: [archive],
  };
}

async function loadRunFolder(dir: string): Promise<Omit<TsneInput, "defaultOutDir">> {
  const archive = `${dir}/${RUN_FOLDER_INPUT.archive}`;
  if (await exists(archive)) return await loadArchive(archive);
  const features = `${dir}/${RUN_FOLDER_INPUT.features}`;
  if (!(await exists(features))) {
    throw new TsneInputError(
      `${dir}: a run folder needs ${RUN_FOLDER_INPUT.archive} or ${RUN_FOLDER_INPUT.features} (export the features first)`,
    );
  }
  const labelsPath = `${dir}/${RUN_FOLDER_INPUT.labels}`;
  const hasLabels = await exists(labelsPath);
  return {
    ...matrix(readNpy(await Deno.readFile(features), { source: features }), features),
    labels: hasLabels ? await readLabels(labelsPath) : undefined,
    sources: hasLabels ? [features, labelsPath] : [features],
  };
}

/**
 * Reads the points to embed from `path`: a run folder, a `.npy` or a `.csv`.
 *
 * @example
 * ```ts
 * const input = await loadTsneInput("features.npy", { labels: "labels.npy" });
 * ```
 */
export async function loadTsneInput(
  path: string,
  options: LoadTsneInputOptions = {},
): Promise<TsneInput> {
  const clean = path.replace(/\/+$/, "") || "/";
  let input: Omit<TsneInput, "defaultOutDir">;
  let defaultOutDir: string;
  const stat = await Deno.stat(clean).catch((e) => {
    if (e instanceof Deno.errors.NotFound) {
      throw new TsneInputError(`${clean}: no such file or folder`);
    }
    throw e;
  });
  if (stat.isDirectory) {
    input = await loadRunFolder(clean);
    const names = await readRunFile(clean, RUN_FILES.classNames);
    if (names) input.classNames = JSON.parse(new TextDecoder().decode(names));
    defaultOutDir = clean;
  } else {
    defaultOutDir = clean.includes("/") ? clean.slice(0, clean.lastIndexOf("/")) || "/" : ".";
    if (clean.endsWith(".npy")) {
      input = {
        ...matrix(readNpy(await Deno.readFile(clean), { source: clean }), clean),
        sources: [clean],
      };
    } else if (clean.endsWith(".npz")) {
      input = await loadArchive(clean);
    } else if (clean.endsWith(".csv")) {
      const t = readCsv(await Deno.readTextFile(clean), { source: clean });
      const labelCol = t.header?.findIndex((h) => h.toLowerCase() === "label") ?? -1;
      const dims = t.cols - (labelCol >= 0 ? 1 : 0);
      const data = new Float32Array(t.rows * dims);
      const labels = labelCol >= 0 ? new Array<number>(t.rows) : undefined;
      for (let i = 0; i < t.rows; i++) {
        for (let c = 0, o = 0; c < t.cols; c++) {
          const v = t.data[i * t.cols + c];
          if (c === labelCol) labels![i] = v;
          else data[i * dims + o++] = v;
        }
      }
      input = {
        data,
        n: t.rows,
        dims,
        labels: labels ? labelArray(labels, clean) : undefined,
        sources: [clean],
      };
    } else {
      throw new TsneInputError(`${clean}: expected a run folder, a .npy, .npz or .csv file`);
    }
  }
  if (options.labels) {
    input.labels = await readLabels(options.labels);
    input.sources.push(options.labels);
  }
  if (input.labels && input.labels.length !== input.n) {
    throw new TsneInputError(
      `${input.sources.join(", ")}: ${input.labels.length} labels for ${input.n} rows`,
    );
  }
  return { ...input, defaultOutDir };
}
