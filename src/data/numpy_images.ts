/**
 * Training data from NumPy: a `.npy` of images with labels from another
 * `.npy`, or a `.npz` holding images and labels under the keys Keras'
 * `mnist.npz` (`x_train`, `y_train`, `x_test`, `y_test`), `data`/`labels` or
 * `x`/`y` use. Images of any size with one or three channels, as `(N, H, W)`,
 * `(N, H, W, C)` or `(N, C, H, W)`; the layout is read from the shape
 * (`layout` overrides) and stated, and channels-first arrays are reordered
 * to channels last. Integer pixels stay bytes and are divided by 255 as
 * batches are gathered; float pixels in [0, 1] are used as they are, others
 * are min-max scaled with the training split's range (see `imageScaling`).
 * A `(N, D)` array is a table of D features per row, scaled per feature by
 * `normalize` fitted on the training split, as a CSV is. A source without a
 * test split gets a seeded one.
 *
 * ```ts
 * import { loadNumpyImages } from "./numpy_images.ts";
 * const { train, test, description } = await loadNumpyImages("data/mnist.npz", { seed: 0 });
 * console.log(train.count, test.count, description);
 * ```
 *
 * @module
 */
import { type NpyArray, readNpy } from "../io/npy.ts";
import { readNpz } from "../io/npz.ts";
import { withPermission } from "../io/permissions.ts";
import { UserError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { heldOutTestSplit, type TestSplitOptions } from "./test_split.ts";
import {
  describeScaling,
  fitScaling,
  imageScaling,
  type NormalizeMethod,
  scaleDataset,
  type Scaling,
} from "./scaling.ts";

/** Where the channel axis of an image array is: none, last, or after N. */
export const LAYOUTS = ["nhw", "nhwc", "nchw"] as const;

/** An image array's layout. */
export type Layout = typeof LAYOUTS[number];

/** Options for {@linkcode loadNumpyImages}. */
export interface LoadNumpyImagesOptions extends TestSplitOptions {
  /** A `.npy` of one integer label per image (default: the archive's labels, or none). */
  labels?: string;
  /** The images' layout (default: read from the shape). */
  layout?: Layout;
  /** Pixel range: `unit` = [0,1] (default), `symmetric` = [-1,1]. */
  scale?: "unit" | "symmetric";
  /** A saved run's scaling, applied instead of fitting one (default: fitted on the training split; see `imageScaling`). */
  scaling?: Scaling;
  /** Per-feature scaling of a `(N, D)` table, fitted on the training split (default `minmax`). */
  normalize?: NormalizeMethod;
}

/** The splits of a NumPy source, and a line that says what was read and how. */
export interface NumpyImages {
  /** The training images (all of them when the source has no test split, less the held-out part). */
  train: Dataset;
  /** The source's test images, or the seeded held-out part. */
  test: Dataset;
  /** How the pixels were scaled: fitted on the training split, or the saved run's. */
  scaling: Scaling;
  /** For the log: shape, dtype, layout and whether assumed, scaling, where the test set came from. */
  description: string;
}

/** The first bytes of a `.npy` file and of a zip (`.npz`) archive. */
const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];

/** Whether `bytes` begins like a `.npy` file or an `.npz` archive (by content, not by name). */
export function numpyKind(bytes: Uint8Array): "npy" | "npz" | undefined {
  if (NPY_MAGIC.every((b, i) => bytes[i] === b)) return "npy";
  if (ZIP_MAGIC.every((b, i) => bytes[i] === b)) return "npz";
  return undefined;
}

/** Keys of an archive's images and labels, in the order they are tried. */
const ARCHIVE_KEYS = [
  { train: ["x_train", "y_train"], test: ["x_test", "y_test"] },
  { train: ["data", "labels"] },
  { train: ["x", "y"] },
] as const;

async function readFile(path: string): Promise<Uint8Array> {
  return await withPermission("read", path, () => Deno.readFile(path)).catch((e) => {
    if (e instanceof Deno.errors.NotFound) throw new UserError(`${path}: no such file`);
    throw e;
  });
}

/**
 * Reads a `.npy` or `.npz` of images or table rows (and labels) into
 * training and test sets; see the module doc for what is accepted.
 *
 * @example
 * ```ts
 * import { loadNumpyImages } from "./numpy_images.ts";
 * const { train } = await loadNumpyImages("data/x.npy", { labels: "data/y.npy", layout: "nhw" });
 * ```
 */
export async function loadNumpyImages(
  path: string,
  options: LoadNumpyImagesOptions = {},
): Promise<NumpyImages> {
  const bytes = await readFile(path);
  const kind = numpyKind(bytes);
  let x: NpyArray,
    y: NpyArray | undefined,
    xTest: NpyArray | undefined,
    yTest: NpyArray | undefined;
  let keys: readonly string[] = [];
  if (kind === "npy") {
    x = readNpy(bytes, { source: path });
  } else if (kind === "npz") {
    const arrays = readNpz(bytes, { source: path });
    const found = ARCHIVE_KEYS.find((k) => arrays[k.train[0]]);
    if (!found) {
      throw new UserError(
        `${path}: no images: expected the keys x_train/y_train (x_test/y_test), data/labels ` +
          `or x/y, found ${Object.keys(arrays).join(", ") || "no arrays"}`,
      );
    }
    keys = [...found.train, ...("test" in found ? found.test : [])];
    [x, y, xTest, yTest] = keys.map((k) => arrays[k]);
  } else {
    throw new UserError(
      `${path}: at byte 0: expected a .npy ("\\x93NUMPY") or .npz (zip) file, or a folder of IDX files`,
    );
  }
  const name = (i: number) => keys[i] ? `${path}:${keys[i]}` : path;
  if (options.labels && xTest) {
    throw new UserError(
      `--labels ${options.labels}: ${path} has its own labels for its train and test splits`,
    );
  }
  if (options.labels) {
    y = readNpy(await readFile(options.labels), { source: options.labels });
  }
  const scale = options.scale ?? "unit";
  const layout = layoutOf(x, name(0), options.layout);
  let train = toDataset(x, y, layout, name(0), options.labels ?? name(1));
  let test: Dataset;
  let split: string;
  if (xTest) {
    const testLayout = layoutOf(xTest, name(2), options.layout);
    const [a, b] = [train, testLayout].map((d) => `${d.height}x${d.width}x${d.channels}`);
    if (a !== b) {
      throw new UserError(`${name(2)}: samples of ${b}, but ${name(0)}'s are ${a}`);
    }
    test = toDataset(xTest, yTest, testLayout, name(2), name(3));
    split = `its test split, ${keys[2]}`;
  } else {
    ({ train, test, split } = heldOutTestSplit(train, { ...options, source: path }));
  }
  const names = [name(0), ...(y ? [options.labels ?? name(1)] : [])].join(" + ");
  // Fitted on the training split only (or a saved run's), applied to both.
  const normalize = options.normalize ?? "minmax";
  const scaling = layout.layout === "nd"
    ? options.scaling ?? fitScaling(train.images, { method: normalize, features: train.width })
    : imageScaling(train.images, { stored: options.scaling });
  return {
    train: scaleDataset(train, { scaling, scale }),
    test: scaleDataset(test, { scaling, scale }),
    scaling,
    description: `${names}: (${x.shape.join(", ")}) ${x.dtype}, ` +
      (layout.layout === "nd"
        ? `a table of ${train.width} features a row`
        : `layout ${layout.layout} ` +
          `(${layout.assumed ? "assumed from the shape; --layout overrides" : "as given"})`) +
      `, ${describeScaling(scaling)}${
        layout.layout === "nd" && !options.scaling ? ` (--normalize ${normalize})` : ""
      }${y ? "" : ", no labels"}; ${split}`,
  };
}

/** An array's layout and the sample shape it gives. */
interface SampleLayout {
  /** `nd` is a table, (N, D); the others are image layouts. */
  layout: Layout | "nd";
  /** Whether the layout was read from the shape rather than given. */
  assumed: boolean;
  height: number;
  width: number;
  channels: number;
}

/**
 * The layout of array `a`: a table for rank 2, else the image layout
 * `given`, or read from its shape (rank 3 is N x H x W; rank 4 has its
 * channel axis, of 1 or 3, last or second).
 */
function layoutOf(a: NpyArray, name: string, given: Layout | undefined): SampleLayout {
  const shape = `(${a.shape.join(", ")})`;
  if (a.shape.length === 2 && !given) {
    return { layout: "nd", assumed: true, height: 1, width: a.shape[1], channels: 1 };
  }
  const channels = (d: number) => d === 1 || d === 3;
  let layout = given;
  if (a.shape.length === 3) layout ??= "nhw";
  else if (a.shape.length === 4 && !layout) {
    const last = channels(a.shape[3]), second = channels(a.shape[1]);
    if (last === second) {
      throw new UserError(
        `${name}: cannot tell where the channel axis of shape ${shape} is: give --layout nhwc or nchw`,
      );
    }
    layout = last ? "nhwc" : "nchw";
  }
  if (!layout || a.shape.length !== (layout === "nhw" ? 3 : 4)) {
    throw new UserError(
      `${name}: expected images (N, H, W), (N, H, W, C) or (N, C, H, W)` +
        `${given ? ` as --layout ${given} says` : ", or a table (N, D)"}, found shape ${shape}`,
    );
  }
  const [height, width, c] = layout === "nhw"
    ? [a.shape[1], a.shape[2], 1]
    : layout === "nhwc"
    ? [a.shape[1], a.shape[2], a.shape[3]]
    : [a.shape[2], a.shape[3], a.shape[1]];
  if (!channels(c)) {
    throw new UserError(
      `${name}: images of ${c} channels (shape ${shape}, layout ${layout}): expected 1 (grey) or 3 (RGB)`,
    );
  }
  return { layout, assumed: given === undefined, height, width, channels: c };
}

/**
 * The pixels of image array `a` as the source stores them: integers (any
 * integer dtype, which must hold 0-255) as bytes, floats as float32 (which
 * must be finite); a value outside is an error naming the element. Scaling
 * comes after, fitted on the training split (`imageScaling`).
 *
 * @example
 * ```ts
 * import { pixelArray } from "./numpy_images.ts";
 * import { readNpy, writeNpy } from "../io/npy.ts";
 * pixelArray(readNpy(writeNpy(new Int32Array([0, 255]), [1, 2])), "x.npy"); // Uint8Array [0, 255]
 * ```
 */
export function pixelArray(a: NpyArray, name: string): Uint8Array | Float32Array {
  const integer = /int/.test(a.dtype);
  if (integer && a.data instanceof Uint8Array) return a.data;
  const images = integer ? new Uint8Array(a.data.length) : new Float32Array(a.data.length);
  for (let i = 0; i < a.data.length; i++) {
    const v = Number(a.data[i]);
    if (integer ? v < 0 || v > 255 : !Number.isFinite(v)) {
      throw new UserError(
        `${name}: element ${i} is ${v}; ${
          integer
            ? "integer images must hold 0-255 (they are divided by 255)"
            : "float images must be finite"
        }`,
      );
    }
    images[i] = v;
  }
  return images;
}

/**
 * The samples of `a` as stored (table rows as float32, images channels
 * last), with their labels from `y` (zeros without).
 */
function toDataset(
  a: NpyArray,
  y: NpyArray | undefined,
  layout: SampleLayout,
  name: string,
  labelsName: string,
): Dataset {
  const count = a.shape[0];
  const { height, width, channels } = layout;
  const stored = layout.layout === "nd" ? tableValues(a, name) : pixelArray(a, name);
  const images = layout.layout === "nchw" && channels > 1
    ? channelsLast(stored, { count, height, width, channels })
    : stored;
  const labels = new Uint8Array(count);
  if (y) {
    if (y.shape.length !== 1 || y.shape[0] !== count) {
      throw new UserError(
        `${labelsName}: labels of shape (${y.shape.join(", ")}) for the ${count} samples of ` +
          `${name}: expected (${count},)`,
      );
    }
    for (let i = 0; i < count; i++) {
      const v = y.data[i];
      if (!Number.isInteger(v) || v < 0 || v > 255) {
        throw new UserError(`${labelsName}: label ${i} is ${v}; expected integers 0-255`);
      }
      labels[i] = v;
    }
  }
  return {
    images,
    labels,
    count,
    height,
    width,
    channels,
    ...(layout.layout === "nd" && { kind: "table" as const }),
  };
}

/** A table's values as float32; each must be finite. */
function tableValues(a: NpyArray, name: string): Float32Array {
  const out = new Float32Array(a.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = Number(a.data[i]);
    if (!Number.isFinite(v)) {
      const d = a.shape[1];
      throw new UserError(
        `${name}: row ${Math.floor(i / d)}, column ${i % d} is ${v}; expected a finite number`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** N x C x H x W samples reordered to N x H x W x C. */
function channelsLast<T extends Uint8Array | Float32Array>(
  src: T,
  dims: { count: number; height: number; width: number; channels: number },
): T {
  const { count, height, width, channels } = dims;
  const plane = height * width, sample = plane * channels;
  const out = new (src.constructor as new (n: number) => T)(src.length);
  for (let n = 0; n < count; n++) {
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < plane; p++) {
        out[n * sample + p * channels + c] = src[n * sample + c * plane + p];
      }
    }
  }
  return out;
}
