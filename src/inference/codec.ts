/**
 * Encoding images to codes and decoding codes to images, in batches, over
 * plain typed arrays.
 *
 * ```ts
 * import { decode, encode } from "./codec.ts";
 * import { MODELS } from "../models/registry.ts";
 * const ae = MODELS.dense.build({ latentDim: 8, seed: 0 });
 * const images = new Float32Array(2 * 784);
 * const codes = encode(ae, images); // 2 x 8
 * const recon = decode(ae, codes); // 2 x 784
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Autoencoder } from "../models/model.ts";
import { type Dataset, gather } from "../data/dataset.ts";

/** Options for {@linkcode encode} and {@linkcode decode}. */
export interface CodecOptions {
  /** Rows per forward pass (default 1000). */
  batchSize?: number;
}

function apply(
  model: { apply(x: tf.Tensor, args?: { training: boolean }): unknown },
  rows: Float32Array,
  rowShape: number[],
  batchSize: number,
): Float32Array {
  const rowSize = rowShape.reduce((a, b) => a * b, 1);
  const n = rows.length / rowSize;
  if (!Number.isInteger(n)) {
    throw new Error(`${rows.length} values are not whole rows of ${rowSize}`);
  }
  const chunks: Float32Array[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const out = tf.tidy(() =>
      model.apply(
        tf.tensor(rows.subarray(start * rowSize, end * rowSize), [end - start, ...rowShape]),
        {
          training: false,
        },
      ) as tf.Tensor
    );
    chunks.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const total = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let off = 0;
  for (const c of chunks) (total.set(c, off), off += c.length);
  return total;
}

/**
 * The encoder's codes of `images` (row-major, one image per row, already
 * scaled as the model was trained); returns n x latentDim values.
 *
 * @example
 * ```ts
 * import { encode } from "./codec.ts";
 * import { loadRun } from "./load_run.ts";
 * import { loadMnist } from "../data/mnist.ts";
 * import { floatImages } from "../data/dataset.ts";
 * const run = await loadRun("runs/conv-1");
 * const { test } = await loadMnist({ scale: run.config.scale });
 * const features = encode(run.autoencoder, floatImages(test));
 * ```
 */
export function encode(
  ae: Autoencoder,
  images: Float32Array,
  options: CodecOptions = {},
): Float32Array {
  return apply(ae.encoder, images, ae.inputShape, options.batchSize ?? 1000);
}

/**
 * The codes of samples `from` to `to` of `data`, written into `out` (n x
 * latentDim values for all of `data`) at their rows, gathered and encoded
 * 1,000 at a time: a data-parallel replica's share of encoding a set.
 *
 * @example
 * ```ts
 * import { encodeInto, latentSize } from "./codec.ts";
 * import { loadRun } from "./load_run.ts";
 * import { loadMnist } from "../data/mnist.ts";
 * const run = await loadRun("runs/conv-1");
 * const { test } = await loadMnist({ scale: run.config.scale });
 * const out = new Float32Array(test.count * latentSize(run.autoencoder));
 * encodeInto(run.autoencoder, test, { from: 0, to: test.count, out });
 * ```
 */
export function encodeInto(
  ae: Autoencoder,
  data: Dataset,
  rows: { from: number; to: number; out: Float32Array },
): void {
  const dims = latentSize(ae);
  for (let start = rows.from; start < rows.to; start += 1000) {
    const idx = Uint32Array.from({ length: Math.min(1000, rows.to - start) }, (_, i) => start + i);
    rows.out.set(encode(ae, gather(data, idx)), start * dims);
  }
}

/**
 * The decoder's images for `codes` (row-major n x latentDim); returns n x pixels values.
 *
 * @example
 * ```ts
 * import { decode } from "./codec.ts";
 * import { loadRun } from "./load_run.ts";
 * const run = await loadRun("runs/vae-1");
 * const images = decode(run.autoencoder, new Float32Array([0, 0])); // a 2-d VAE's centre
 * ```
 */
export function decode(
  ae: Autoencoder,
  codes: Float32Array,
  options: CodecOptions = {},
): Float32Array {
  const latent = ae.decoder.inputs[0].shape.slice(1) as number[];
  return apply(ae.decoder, codes, latent, options.batchSize ?? 1000);
}

/**
 * The model's reconstructions of `images` (row-major whole samples, scaled as
 * the model was trained), in evaluation mode; returns as many values.
 *
 * @example
 * ```ts
 * import { reconstruct } from "./codec.ts";
 * import { MODELS } from "../models/registry.ts";
 * const ae = MODELS.conv.build({ latentDim: 16, seed: 0 });
 * const recon = reconstruct(ae, new Float32Array(784 * 10)); // 10 images
 * ```
 */
export function reconstruct(
  ae: Autoencoder,
  images: Float32Array,
  options: CodecOptions = {},
): Float32Array {
  const model = { apply: (x: tf.Tensor) => ae.reconstruct(x, false) };
  return apply(model, images, ae.inputShape, options.batchSize ?? 1000);
}

/** The size of the code of `ae`. */
export function latentSize(ae: Autoencoder): number {
  return (ae.decoder.inputs[0].shape.slice(1) as number[]).reduce((a, b) => a * b, 1);
}
