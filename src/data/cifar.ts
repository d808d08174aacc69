/**
 * CIFAR-10 in its binary version (`cifar-10-batches-bin/`): the training
 * batches `data_batch_1.bin` ... `data_batch_5.bin` (those present), the test
 * batch `test_batch.bin`, and the class names from `batches.meta.txt` (one a
 * line) when present. Each record is 3,073 bytes: a label byte, then the
 * 32x32 image as three planes (1,024 red, 1,024 green, 1,024 blue bytes),
 * which are interleaved here into rows of RGB pixels (channels last). Pixels
 * stay 8-bit (divided by 255 as batches are gathered).
 *
 * ```ts
 * import { loadCifar } from "./cifar.ts";
 * const { train, test, description } = await loadCifar("data/cifar-10-batches-bin");
 * console.log(train.count, test.count, train.classNames); // 50000 10000 ["airplane", ...]
 * ```
 *
 * @module
 */
import { withPermission } from "../io/permissions.ts";
import { UserError } from "../errors.ts";
import type { Dataset } from "./dataset.ts";
import { describeScaling, scaleDataset, type Scaling } from "./scaling.ts";
import { heldOutTestSplit, type TestSplitOptions } from "./test_split.ts";

/** Bytes of one record: the label, then 32 x 32 x 3 pixels. */
export const CIFAR_RECORD: number = 1 + 32 * 32 * 3;

/** The batch files, in the order they are read. */
export const CIFAR_FILES: { train: readonly string[]; test: string; meta: string } = {
  train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  test: "test_batch.bin",
  meta: "batches.meta.txt",
};

/** Options for {@linkcode loadCifar}. */
export interface LoadCifarOptions extends TestSplitOptions {
  /** Pixel range: `unit` = [0,1] (default), `symmetric` = [-1,1]. */
  scale?: "unit" | "symmetric";
}

/** The splits of a CIFAR-10 folder and a line that says what was read. */
export interface LoadedCifar {
  /** The training batches' images. */
  train: Dataset;
  /** `test_batch.bin`'s images, or a seeded held-out part of the training batches. */
  test: Dataset;
  /** How the pixels are scaled: divided by 255. */
  scaling: Scaling;
  /** For the log: files, counts, class names, where the test set came from. */
  description: string;
}

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

/**
 * Whether `dir` holds CIFAR-10 binary batches (any of the batch files).
 *
 * @example
 * ```ts
 * import { isCifarFolder } from "./cifar.ts";
 * await isCifarFolder("data/cifar-10-batches-bin"); // true
 * ```
 */
export async function isCifarFolder(dir: string): Promise<boolean> {
  return await withPermission("read", dir, async () => {
    for (const name of [...CIFAR_FILES.train, CIFAR_FILES.test]) {
      const stat = await Deno.stat(`${dir}/${name}`).catch(() => undefined);
      if (stat?.isFile) return true;
    }
    return false;
  });
}

/**
 * Decodes CIFAR-10 records: a length that is not a whole number of records,
 * or a label beyond the class names, is a `UserError` naming `source` and
 * the byte offset.
 *
 * @example
 * ```ts
 * import { CIFAR_RECORD, decodeCifar } from "./cifar.ts";
 * const records = new Uint8Array(2 * CIFAR_RECORD); // two black images of class 0
 * decodeCifar(records, { source: "batch.bin", classes: 10 }).count; // 2
 * ```
 */
export function decodeCifar(
  bytes: Uint8Array,
  options: { source: string; classes: number },
): Dataset {
  const { source, classes } = options;
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD !== 0) {
    const whole = Math.floor(bytes.length / CIFAR_RECORD);
    throw new UserError(
      `${source}: ${bytes.length} bytes is not a multiple of ${CIFAR_RECORD} (a label byte and ` +
        `32x32x3 pixels per record): ${
          whole ? `the record at byte ${whole * CIFAR_RECORD} is cut short` : "not one record"
        }`,
    );
  }
  const count = bytes.length / CIFAR_RECORD;
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD;
    if (bytes[at] >= classes) {
      throw new UserError(
        `${source}: at byte ${at}: label ${bytes[at]} of record ${r}; expected 0-${classes - 1} ` +
          `(${classes} classes)`,
      );
    }
    labels[r] = bytes[at];
    const planes = bytes.subarray(at + 1, at + CIFAR_RECORD), out = r * 3072;
    for (let p = 0; p < 1024; p++) {
      images[out + 3 * p] = planes[p];
      images[out + 3 * p + 1] = planes[1024 + p];
      images[out + 3 * p + 2] = planes[2048 + p];
    }
  }
  return { images, labels, count, height: 32, width: 32, channels: 3 };
}

/** Datasets back to back. */
function concat(parts: Dataset[]): Dataset {
  const count = parts.reduce((n, p) => n + p.count, 0);
  const images = new Uint8Array(count * 3072), labels = new Uint8Array(count);
  let at = 0;
  for (const p of parts) {
    images.set(p.images as Uint8Array, at * 3072);
    labels.set(p.labels, at);
    at += p.count;
  }
  return { ...parts[0], images, labels, count };
}

/**
 * Reads a CIFAR-10 binary folder (see the module doc) into training and
 * test sets; without `test_batch.bin` a seeded part of the training batches
 * is the test set, and without training batches `test_batch.bin` is split.
 *
 * @example
 * ```ts
 * import { loadCifar } from "./cifar.ts";
 * const { train } = await loadCifar("data/cifar-10-batches-bin", { seed: 1 });
 * ```
 */
export async function loadCifar(dir: string, options: LoadCifarOptions = {}): Promise<LoadedCifar> {
  const root = dir.replace(/\/+$/, "");
  return await withPermission("read", root, async () => {
    const meta = await readOptional(`${root}/${CIFAR_FILES.meta}`);
    const names = meta
      ? new TextDecoder().decode(meta).split(/\r?\n/).map((l) => l.trim()).filter((l) => l)
      : undefined;
    if (names && (names.length === 0 || names.length > 256)) {
      throw new UserError(
        `${root}/${CIFAR_FILES.meta}: ${names.length} class names; expected one a line, 1-256`,
      );
    }
    const classes = names?.length ?? 10;
    const read = async (name: string) => {
      const bytes = await readOptional(`${root}/${name}`);
      return bytes && decodeCifar(bytes, { source: `${root}/${name}`, classes });
    };
    const batches = (await Promise.all(CIFAR_FILES.train.map(read)))
      .map((d, i) => d && { d, name: CIFAR_FILES.train[i] }).filter((b) => b !== undefined);
    const testBatch = await read(CIFAR_FILES.test);
    if (batches.length === 0 && !testBatch) {
      throw new UserError(
        `${root}: no CIFAR-10 batches: expected ${CIFAR_FILES.train.join(", ")} and ` +
          CIFAR_FILES.test,
      );
    }
    const named = (d: Dataset): Dataset => (names ? { ...d, classNames: names } : d);
    const all = named(batches.length ? concat(batches.map((b) => b.d)) : testBatch!);
    const { train, test, split } = batches.length && testBatch
      ? { train: all, test: named(testBatch), split: `its test batch, ${CIFAR_FILES.test}` }
      : heldOutTestSplit(all, { ...options, source: root });
    const files = [...batches.map((b) => b.name), ...(testBatch ? [CIFAR_FILES.test] : [])];
    const scaling: Scaling = { kind: "divide", by: 255 };
    return {
      train: scaleDataset(train, { scaling, scale: options.scale }),
      test: scaleDataset(test, { scaling, scale: options.scale }),
      scaling,
      description: `${root}: CIFAR-10 binary (${files.join(", ")}), 32x32 RGB, ` +
        `${describeScaling(scaling)}, classes ${
          names ? `from ${CIFAR_FILES.meta} (${names.join(", ")})` : "0-9 (no batches.meta.txt)"
        }; ${split}`,
    };
  });
}
