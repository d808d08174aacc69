/**
 * Input scaling, stated, stored and reapplied: how a source's numbers become
 * the values a model sees. Fitted on the training split only, written to the
 * run's `config.json` (`RunConfig.scaling`) and applied as it is, never
 * refitted, to whatever data a saved run is later given.
 *
 * - integer images: divided by 255 (`divide`);
 * - float images already in [0, 1]: used as they are (`none`);
 * - other float images: min-max scaled with the training split's range (`minmax`, global);
 * - tables: `--normalize minmax|standard|none` (default `minmax`), per feature.
 *
 * ```ts
 * import { applyScaling, describeScaling, fitScaling } from "./scaling.ts";
 * const train = Float32Array.of(1, 10, 3, 30); // 2 rows x 2 features
 * const scaling = fitScaling(train, { method: "standard", features: 2 });
 * const scaled = applyScaling(train, scaling); // each column mean 0, std 1
 * console.log(describeScaling(scaling)); // "standardized per feature (2 features) ..."
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";

/**
 * How a source's values map to the model's: `divide` `v / by`; `none` as
 * they are; `minmax` `(v - min) / (max - min)`; `standard` `(v - mean) / std`.
 * `minmax` and `standard` hold one number (global) or one per feature.
 */
export type Scaling =
  | { kind: "divide"; by: number }
  | { kind: "none" }
  | { kind: "minmax"; min: number[]; max: number[] }
  | { kind: "standard"; mean: number[]; std: number[] };

/** The table normalizations `--normalize` names. */
export const NORMALIZE_METHODS = ["minmax", "standard", "none"] as const;

/** A table normalization. */
export type NormalizeMethod = typeof NORMALIZE_METHODS[number];

/**
 * Parses a `--normalize` value; anything else is a `UserError` naming the choices.
 *
 * @example
 * ```ts
 * import { parseNormalize } from "./scaling.ts";
 * parseNormalize("standard"); // "standard"
 * ```
 */
export function parseNormalize(text: string): NormalizeMethod {
  if (!(NORMALIZE_METHODS as readonly string[]).includes(text)) {
    throw new UserError(`--normalize ${text}: expected one of ${NORMALIZE_METHODS.join(", ")}`);
  }
  return text as NormalizeMethod;
}

/** Options for {@linkcode imageScaling}. */
export interface ImageScalingOptions {
  /**
   * A saved run's scaling, applied to float images instead of fitting one
   * (default none: fit). A stored `divide` (the run trained on integer pixels)
   * says nothing about float images, which are fitted.
   */
  stored?: Scaling;
}

/**
 * The scaling of a source's images, from its training split's pixels as
 * stored: integer pixels (bytes) divide by 255; float pixels take the saved
 * run's scaling when given, else: in [0, 1], as they are; otherwise min-max
 * scaled with the training split's (global) range. A non-finite float is a
 * `UserError` naming the element.
 *
 * @example
 * ```ts
 * import { imageScaling } from "./scaling.ts";
 * imageScaling(Uint8Array.of(0, 255)); // { kind: "divide", by: 255 }
 * imageScaling(Float32Array.of(-3, 5)); // { kind: "minmax", min: [-3], max: [5] }
 * ```
 */
export function imageScaling(
  train: Uint8Array | Float32Array,
  options: ImageScalingOptions = {},
): Scaling {
  if (train instanceof Uint8Array) return { kind: "divide", by: 255 };
  if (options.stored && options.stored.kind !== "divide") return options.stored;
  const [min, max] = range(train, 1);
  if (min[0] >= 0 && max[0] <= 1) return { kind: "none" };
  return { kind: "minmax", min, max };
}

/** Options for {@linkcode fitScaling}. */
export interface FitScalingOptions {
  /** The normalization (default `minmax`). */
  method?: NormalizeMethod;
  /** Values per row; each feature (column) gets its own statistics (default 1: one for all). */
  features?: number;
}

/**
 * Fits a table normalization on the training rows `train` (row-major, `features`
 * per row): per-feature min and max, or mean and (population) standard
 * deviation. A non-finite value is a `UserError` naming the element.
 *
 * @example
 * ```ts
 * import { fitScaling } from "./scaling.ts";
 * fitScaling(Float32Array.of(0, 5, 2, 7), { features: 2 }); // { kind: "minmax", min: [0, 5], max: [2, 7] }
 * ```
 */
export function fitScaling(train: ArrayLike<number>, options: FitScalingOptions = {}): Scaling {
  const { method = "minmax", features = 1 } = options;
  if (!(Number.isInteger(features) && features >= 1 && train.length % features === 0)) {
    throw new RangeError(
      `fitScaling: ${train.length} values do not split into rows of ${features}`,
    );
  }
  if (method === "none") return { kind: "none" };
  if (method === "minmax") {
    const [min, max] = range(train, features);
    return { kind: "minmax", min, max };
  }
  const rows = train.length / features;
  const mean = new Array<number>(features).fill(0), sq = new Array<number>(features).fill(0);
  for (let i = 0; i < train.length; i++) mean[i % features] += finite(train, i) / rows;
  for (let i = 0; i < train.length; i++) sq[i % features] += (train[i] - mean[i % features]) ** 2;
  return { kind: "standard", mean, std: sq.map((s) => Math.sqrt(s / rows)) };
}

/**
 * `values` (row-major, rows of as many values as the scaling has statistics,
 * or any length for a global one) scaled by `scaling`, as float32. A constant
 * feature (max = min, or std 0) maps to 0 rather than dividing by zero.
 * Values outside the fitted range are not clipped: data scored later may lie
 * beyond the training split's.
 *
 * @example
 * ```ts
 * import { applyScaling } from "./scaling.ts";
 * applyScaling(Uint8Array.of(0, 51, 255), { kind: "divide", by: 255 }); // Float32Array [0, 0.2, 1]
 * applyScaling(Float32Array.of(0, 5, 4, 7), { kind: "minmax", min: [0, 5], max: [2, 7] }); // [0, 0, 2, 1]
 * ```
 */
export function applyScaling(values: ArrayLike<number>, scaling: Scaling): Float32Array {
  const out = new Float32Array(values.length);
  if (scaling.kind === "none") {
    out.set(values);
    return out;
  }
  if (scaling.kind === "divide") {
    for (let i = 0; i < values.length; i++) out[i] = values[i] / scaling.by;
    return out;
  }
  const [shift, spread] = scaling.kind === "minmax"
    ? [scaling.min, scaling.max.map((m, f) => m - scaling.min[f])]
    : [scaling.mean, scaling.std];
  const features = shift.length;
  if (values.length % features !== 0) {
    throw new RangeError(`applyScaling: ${values.length} values are not rows of ${features}`);
  }
  for (let i = 0; i < values.length; i++) {
    const f = i % features;
    out[i] = spread[f] > 0 ? (values[i] - shift[f]) / spread[f] : 0;
  }
  return out;
}

/** Options for {@linkcode scaleDataset}. */
export interface ScaleDatasetOptions {
  /** The scaling, from {@linkcode imageScaling} or {@linkcode fitScaling}. */
  scaling: Scaling;
  /** Pixel range of scaled images: `unit` (default) as scaled, `symmetric` mapped on to [-1, 1]; tables ignore it. */
  scale?: "unit" | "symmetric";
}

/**
 * `data` (its values as the source stores them) scaled: bytes divided by 255
 * stay bytes, scaled as batches are gathered (`pixelScale`); any other
 * scaling gives float32 images, mapped on to [-1, 1] for a `symmetric`
 * range unless standardized.
 *
 * @example
 * ```ts
 * import { scaleDataset } from "./scaling.ts";
 * const raw = { images: Float32Array.of(0, 4, 8), labels: new Uint8Array(3), count: 3, height: 1, width: 1, channels: 1 };
 * scaleDataset(raw, { scaling: { kind: "minmax", min: [0], max: [8] }, scale: "symmetric" }).images; // [-1, 0, 1]
 * ```
 */
export function scaleDataset(data: Dataset, options: ScaleDatasetOptions): Dataset {
  const { scaling, scale = "unit" } = options;
  if (data.images instanceof Uint8Array && scaling.kind === "divide" && scaling.by === 255) {
    return { ...data, pixelScale: scale };
  }
  const images = applyScaling(data.images, scaling);
  if (scale === "symmetric" && data.kind !== "table" && scaling.kind !== "standard") {
    for (let i = 0; i < images.length; i++) images[i] = images[i] * 2 - 1;
  }
  const { pixelScale: _, ...rest } = data;
  return { ...rest, images };
}

/**
 * The scaling in words, for the log's data line.
 *
 * @example
 * ```ts
 * import { describeScaling } from "./scaling.ts";
 * describeScaling({ kind: "divide", by: 255 }); // "pixels / 255"
 * ```
 */
export function describeScaling(scaling: Scaling): string {
  const fitted = "fitted on the training split";
  const stats = (a: number[]) => a.length === 1 ? `${round(a[0])}` : `per feature (${a.length})`;
  switch (scaling.kind) {
    case "divide":
      return `pixels / ${scaling.by}`;
    case "none":
      return "values used as they are";
    case "minmax":
      return scaling.min.length === 1
        ? `min-max scaled to [0, 1] from [${round(scaling.min[0])}, ${
          round(scaling.max[0])
        }] ${fitted}`
        : `min-max scaled per feature (${scaling.min.length} features) ${fitted}`;
    case "standard":
      return scaling.mean.length === 1
        ? `standardized (mean ${stats(scaling.mean)}, std ${stats(scaling.std)}) ${fitted}`
        : `standardized per feature (${scaling.mean.length} features) ${fitted}`;
  }
}

/**
 * Checks a scaling read back from a run's `config.json`; anything malformed
 * is a `UserError` naming `source`.
 *
 * @example
 * ```ts
 * import { parseScaling } from "./scaling.ts";
 * parseScaling({ kind: "divide", by: 255 }, "runs/conv-1/config.json"); // { kind: "divide", by: 255 }
 * ```
 */
export function parseScaling(json: unknown, source: string): Scaling {
  const s = json as Record<string, unknown> | null;
  const numbers = (a: unknown, n?: number) =>
    Array.isArray(a) && a.length > 0 && (n === undefined || a.length === n) &&
    a.every((v) => typeof v === "number" && Number.isFinite(v));
  const ok = s !== null && typeof s === "object" && (
    (s.kind === "divide" && typeof s.by === "number" && s.by > 0) ||
    s.kind === "none" ||
    (s.kind === "minmax" && numbers(s.min) && numbers(s.max, (s.min as number[]).length)) ||
    (s.kind === "standard" && numbers(s.mean) && numbers(s.std, (s.mean as number[]).length))
  );
  if (!ok) {
    throw new UserError(
      `${source}: scaling ${
        JSON.stringify(json)
      }: expected {kind: "divide", by}, {kind: "none"}, ` +
        '{kind: "minmax", min: [...], max: [...]} or {kind: "standard", mean: [...], std: [...]}',
    );
  }
  return s as unknown as Scaling;
}

/** Per-feature minimum and maximum of `values` (rows of `features`). */
function range(values: ArrayLike<number>, features: number): [number[], number[]] {
  const min = new Array<number>(features).fill(Infinity);
  const max = new Array<number>(features).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const v = finite(values, i), f = i % features;
    if (v < min[f]) min[f] = v;
    if (v > max[f]) max[f] = v;
  }
  return [min, max];
}

function finite(values: ArrayLike<number>, i: number): number {
  const v = values[i];
  if (!Number.isFinite(v)) {
    throw new UserError(`element ${i} is ${v}: expected a finite number`);
  }
  return v;
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
