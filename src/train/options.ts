/**
 * Every option of a run, declared once: its key, type, range, default, help
 * line and the models it applies to. The options all models share are
 * declared here; a model's own (`width`, `sparsityWeight`, ...) in its
 * spec's `options`. The command line's parser and `--help` are generated from
 * these declarations, and {@linkcode validateSettings} checks a library
 * call's settings against them before any work starts.
 *
 * ```ts
 * import { validateSettings } from "./options.ts";
 * validateSettings({ model: "tconv", width: 32 }); // fine
 * try {
 *   validateSettings({ model: "conv", width: 64 });
 * } catch (e) {
 *   console.log((e as Error).message); // --width applies to tconv only; conv does not take it
 * }
 * ```
 *
 * @module
 */
import { BACKENDS } from "../backend/backend.ts";
import { LAYOUTS } from "../data/numpy_images.ts";
import { NORMALIZE_METHODS } from "../data/scaling.ts";
import { UserError } from "../errors.ts";
import { LOSS_NAMES, type ModelSpec, NOISE_NAMES, OPTIMIZER_NAMES } from "../models/model.ts";
import { getModel, MODELS } from "../models/registry.ts";

/** An option of a run, as declared. */
export interface OptionDecl {
  /** Its key in the settings, e.g. `batchSize`. */
  key: string;
  /** Its flag on the command line, e.g. `--batch-size`. */
  flag: string;
  /**
   * What it takes: a whole number, a number, one of `choices`, any text, a
   * list of class labels, a count (a whole number or `auto`), a comma-separated
   * list of names, or nothing (a flag).
   */
  type: "integer" | "number" | "choice" | "text" | "classes" | "count" | "names" | "flag";
  /** The smallest number allowed. */
  min?: number;
  /** A bound numbers must stay below. */
  below?: number;
  /** The values a `choice` takes. */
  choices?: readonly string[];
  /** The placeholder `--help` shows for the value, e.g. `N`. */
  value: string;
  /** One line for `--help`. */
  help: string;
  /** The default when it is the same for every model; else each model's `defaults` has it. */
  default?: number | string;
  /** The models that take it. */
  models: string[];
}

type Shared = Omit<OptionDecl, "flag" | "models" | "value"> & { value?: string };

// Options without a `default` take each model's, from its spec's `defaults`.
const SHARED: Shared[] = [
  { key: "epochs", type: "integer", min: 0, help: "epochs to train" },
  { key: "batchSize", type: "integer", min: 1, help: "images per step" },
  { key: "lr", type: "number", min: 0, value: "X", help: "learning rate" },
  { key: "latentDim", type: "integer", min: 1, help: "size of the code" },
  { key: "loss", type: "choice", choices: LOSS_NAMES, help: "reconstruction loss" },
  { key: "optimizer", type: "choice", choices: OPTIMIZER_NAMES, help: "optimizer" },
  {
    key: "weightDecay",
    type: "number",
    min: 0,
    value: "X",
    default: 0,
    help: "L2 (adam) or decoupled (adamw) weight decay",
  },
  {
    key: "dropout",
    type: "number",
    min: 0,
    below: 1,
    value: "X",
    default: 0,
    help: "dropout rate after every hidden layer",
  },
  {
    key: "earlyStopping",
    type: "integer",
    min: 0,
    default: 0,
    help: "stop when the validation loss has not improved for N epochs; keeps the best " +
      "epoch's weights in <run>/best",
  },
  {
    key: "valSplit",
    type: "number",
    min: 0,
    below: 1,
    value: "F",
    help: "hold out a seeded fraction F of the training data as the validation set, which " +
      "early stopping and best/ select on (default 0.1 with --early-stopping, else 0)",
  },
  {
    key: "noise",
    type: "choice",
    choices: NOISE_NAMES,
    default: "none",
    help: "corrupt the training inputs; the target stays clean",
  },
  {
    key: "noiseLevel",
    type: "number",
    min: 0,
    value: "X",
    default: 0,
    help: "gaussian sigma, or the fraction of pixels masked / salted",
  },
  {
    key: "seed",
    type: "integer",
    min: 0,
    default: 0,
    help: "seed of initialisation, data order, subsets, noise and dropout",
  },
  {
    key: "backend",
    type: "choice",
    choices: BACKENDS,
    default: "auto",
    help: "auto: hardware WebGPU, else WASM-SIMD",
  },
  {
    key: "workers",
    type: "count",
    min: 1,
    default: "auto",
    help: "replicas training in parallel, one per Deno worker (the main thread is one), " +
      "summing their gradients each step; auto: one per hardware thread (wasm backend, runs " +
      "of 200+ steps)",
  },
  {
    key: "parallel",
    type: "choice",
    choices: ["auto", "replicas", "kernels"],
    default: "auto",
    help: "how workers share a step: replicas each take a slice of the batch; kernels split " +
      "every big product and update of one model (same result as one worker, bit for bit); " +
      "auto: kernels",
  },
  {
    key: "data",
    type: "text",
    value: "PATH",
    help: "a folder (four MNIST-format IDX files, raw or .gz; CIFAR-10 binary batches; or " +
      "class folders of PNG/JPEG images), or a .npy / .npz / CSV file; told apart by content " +
      "(default: packaged MNIST)",
  },
  {
    key: "labels",
    type: "text",
    value: "FILE",
    help: "a .npy of integer labels, one per image of a .npy --data",
  },
  {
    key: "layout",
    type: "choice",
    choices: LAYOUTS,
    help: "the .npy/.npz images' layout (default: read from the shape, and said)",
  },
  {
    key: "testSplit",
    type: "number",
    min: 0,
    below: 1,
    value: "F",
    help: "hold out a seeded fraction F of data without a test split (.npy, CSV, image " +
      "folders without train/ and test/) as the test set (default 0.2)",
  },
  {
    key: "labelColumn",
    type: "text",
    value: "NAME",
    help: "the CSV column of each row's class (numbers or text; default: unlabelled rows)",
  },
  {
    key: "ignoreColumns",
    type: "names",
    value: "a,b",
    help: "CSV columns left out of the features (ids, dates)",
  },
  {
    key: "normalize",
    type: "choice",
    choices: NORMALIZE_METHODS,
    help: "CSV feature scaling per column, fitted on the training rows (default minmax)",
  },
  {
    key: "imageSize",
    type: "text",
    value: "HxW",
    help: "resize every image of an image folder to HxW, bilinearly (needed when sizes differ)",
  },
  {
    key: "grayscale",
    type: "flag",
    help: "convert an image folder's images to grey (ITU-R 601 luma)",
  },
  { key: "trainSize", type: "integer", min: 1, help: "train on a seeded subset of N images" },
  { key: "testSize", type: "integer", min: 1, help: "evaluate on a seeded subset of N images" },
  {
    key: "trainClasses",
    type: "classes",
    value: "3,5",
    help: "train on these classes only (the one-class protocol); the test set keeps all",
  },
  {
    key: "excludeClasses",
    type: "classes",
    value: "9",
    help: "leave these classes out of training; the test set keeps all",
  },
];

/** `sparsityWeight` as `--sparsity-weight`. */
function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function placeholder(o: { type: OptionDecl["type"]; choices?: readonly string[] }): string {
  if (o.type === "flag") return "";
  return o.type === "choice"
    ? o.choices!.join("|")
    : o.type === "integer"
    ? "N"
    : o.type === "count"
    ? "N|auto"
    : "X";
}

/**
 * Every option of every model: the shared ones, then each model's own, in
 * the order `--help` lists them.
 *
 * @example
 * ```ts
 * import { OPTIONS } from "./options.ts";
 * OPTIONS.find((o) => o.key === "width")?.models; // ["tconv"]
 * ```
 */
export const OPTIONS: readonly OptionDecl[] = [
  ...SHARED.map((o): OptionDecl => ({
    value: placeholder(o),
    ...o,
    flag: flagOf(o.key),
    models: Object.values(MODELS).filter((m) => !(m.notTaken && o.key in m.notTaken)).map((m) =>
      m.name
    ),
  })),
  ...Object.values(MODELS).flatMap((m) =>
    (m.options ?? []).map((o): OptionDecl => ({
      ...o,
      value: placeholder(o),
      flag: flagOf(o.key),
      models: [m.name],
    }))
  ),
];

/** An option value that is out of range, or an option the model does not take. */
export class OptionError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "OptionError";
}

/** What a valid value of `o` is, for error messages. */
function expected(o: OptionDecl): string {
  if (o.type === "choice") return `one of ${o.choices!.join(", ")}`;
  if (o.type === "classes") return "class labels (integers 0-255)";
  if (o.type === "text") return "text";
  if (o.type === "count") return `auto or an integer of at least ${o.min ?? 0}`;
  if (o.type === "names") return "names separated by commas";
  if (o.type === "flag") return "true or false";
  const kind = o.type === "integer" ? "integer" : "number";
  if (o.below !== undefined) return `a ${kind} in [${o.min ?? "-inf"}, ${o.below})`;
  if (o.min === 0) return `a non-negative ${kind}`;
  if (o.min !== undefined) return `an ${kind} of at least ${o.min}`;
  return `a ${kind}`;
}

/** Whether `value` is a valid value of `o`. */
function valid(o: OptionDecl, value: unknown): boolean {
  switch (o.type) {
    case "choice":
      return (o.choices as readonly unknown[]).includes(value);
    case "text":
      return typeof value === "string";
    case "count":
      return value === "auto" ||
        (Number.isInteger(value) && (o.min === undefined || (value as number) >= o.min));
    case "names":
      return Array.isArray(value) && value.every((c) => typeof c === "string" && c !== "");
    case "flag":
      return typeof value === "boolean";
    case "classes":
      return Array.isArray(value) &&
        value.every((c) => Number.isInteger(c) && c >= 0 && c <= 255);
    default:
      return typeof value === "number" && Number.isFinite(value) &&
        (o.type === "number" || Number.isInteger(value)) &&
        (o.min === undefined || value >= o.min) && (o.below === undefined || value < o.below);
  }
}

/** The error for `value` of `o`, as the command line shows it. */
export function invalidValue(o: OptionDecl, value: unknown): OptionError {
  return new OptionError(`${o.flag} ${value}: expected ${expected(o)}`);
}

/**
 * Checks the options given in `settings` (those declared: other keys are
 * not settings) against their declarations: each must apply to
 * `settings.model`, naming the models it applies to if not, and hold a
 * valid value. Throws an {@linkcode OptionError}.
 *
 * @example
 * ```ts
 * import { validateSettings } from "./options.ts";
 * validateSettings({ model: "stacked", pretrainEpochs: 2, epochs: 3 });
 * ```
 */
export function validateSettings(settings: { model: string } & Record<string, unknown>): void {
  const spec: ModelSpec = getModel(settings.model);
  for (const o of OPTIONS) {
    const value = settings[o.key];
    if (value === undefined) continue;
    if (!o.models.includes(spec.name)) {
      const why = spec.notTaken?.[o.key as keyof typeof spec.notTaken];
      throw new OptionError(
        o.models.length === 1
          ? `${o.flag} applies to ${o.models[0]} only; ${spec.name} does not take it`
          : `${o.flag} does not apply to ${spec.name}${why ? ` (${why})` : ""}; ` +
            `it applies to ${o.models.join(", ")}`,
      );
    }
    if (!valid(o, value)) throw invalidValue(o, value);
  }
}

/**
 * The options model `name` takes (all models' when not given).
 *
 * @example
 * ```ts
 * import { optionsOf } from "./options.ts";
 * optionsOf("tconv").some((o) => o.key === "width"); // true
 * ```
 */
export function optionsOf(name?: string): OptionDecl[] {
  return OPTIONS.filter((o) => name === undefined || o.models.includes(name));
}
