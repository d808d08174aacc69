/**
 * The VAE's figures: samples decoded from N(0, I), the 20x20 manifold over
 * the normal's quantiles (latent 2), the test set's codes coloured by class,
 * and an interpolation between two test samples. Images are drawn in the
 * data's own size and channels; for tables (rows of features) only the
 * latent scatter is drawn, decoded rows being no picture.
 * @module
 */
import { tf, type tfl } from "../deps.ts";
import type { ArtifactContext } from "./model.ts";
import { imageGrid } from "../plot/image_grid.ts";
import { scatterPlot } from "../plot/scatter.ts";
import { gather, sampleSize } from "../data/dataset.ts";
import { normalDraws } from "./_layers.ts";

/** The standard normal's quantile function (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`normalQuantile: p = ${p} is not in (0, 1)`);
  const a = [
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.357751867269,
    -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) =>
    (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

interface Parts {
  encoder: tfl.LayersModel;
  decoder: tfl.LayersModel;
  latentDim: number;
}

async function decode(decoder: tfl.LayersModel, codes: tf.Tensor): Promise<Float32Array> {
  const images = tf.tidy(() => decoder.apply(codes, { training: false }) as tf.Tensor);
  const data = (await images.data()) as Float32Array;
  tf.dispose([images, codes]);
  return data;
}

function rows(images: Float32Array, perRow: number, size: number): Float32Array[] {
  const n = images.length / (size * perRow);
  return Array.from(
    { length: n },
    (_, r) => images.subarray(r * perRow * size, (r + 1) * perRow * size),
  );
}

/** Codes (the posterior means) of the whole test set, first two dimensions. */
async function latentScatter(parts: Parts, ctx: ArtifactContext): Promise<Uint8Array> {
  const { test } = ctx;
  const points = new Float32Array(test.count * 2);
  for (let start = 0; start < test.count; start += 1000) {
    const n = Math.min(1000, test.count - start);
    const idx = Uint32Array.from({ length: n }, (_, i) => start + i);
    const mu = tf.tidy(() =>
      tf.slice(
        parts.encoder.apply(ctx.toTensor(gather(test, idx)), { training: false }) as tf.Tensor,
        [0, 0],
        [n, Math.min(2, parts.latentDim)],
      )
    );
    const values = (await mu.data()) as Float32Array;
    mu.dispose();
    const width = Math.min(2, parts.latentDim);
    for (let i = 0; i < n; i++) {
      points[2 * (start + i)] = values[width * i];
      points[2 * (start + i) + 1] = width > 1 ? values[width * i + 1] : 0;
    }
  }
  return scatterPlot(points, {
    labels: test.labels,
    classNames: test.classNames,
    title: "VAE latent space (test set, means)",
  }).toPng();
}

/**
 * The VAE's per-epoch figures: `samples.png`, `manifold.png` (latent 2),
 * `latent_scatter.png` and `interpolation.png`.
 */
export async function vaeArtifacts(
  parts: Parts,
  ctx: ArtifactContext,
): Promise<Record<string, Uint8Array>> {
  const { decoder, encoder, latentDim } = parts;
  const { test } = ctx;
  const files: Record<string, Uint8Array> = {};
  files["latent_scatter.png"] = await latentScatter(parts, ctx);
  if (test.kind === "table") return files;
  const { height, width, channels } = test;
  const size = sampleSize(test);
  const grid = { height, width, channels, scale: 2, symmetric: ctx.scale === "symmetric" };
  const samples = await decode(
    decoder,
    normalDraws([100, latentDim], ctx.seed),
  );
  files["samples.png"] = imageGrid(rows(samples, 10, size), grid);
  if (latentDim === 2) {
    const q = Array.from({ length: 20 }, (_, i) => normalQuantile(0.05 + (0.9 * i) / 19));
    const codes = q.slice().reverse().flatMap((y) => q.flatMap((x) => [x, y]));
    const manifold = await decode(decoder, tf.tensor2d(codes, [400, 2]));
    files["manifold.png"] = imageGrid(rows(manifold, 20, size), { ...grid, scale: 1 });
  }
  const other = test.labels.findIndex((l) => l !== test.labels[0]);
  if (other > 0) {
    const ends = tf.tidy(() =>
      encoder.apply(ctx.toTensor(gather(test, [0, other])), { training: false }) as tf.Tensor
    );
    const path = tf.tidy(() => {
      const t = tf.reshape(tf.linspace(0, 1, 10), [10, 1]);
      const [a, b] = tf.split(ends, 2);
      return tf.add(a, tf.mul(t, tf.sub(b, a)));
    });
    ends.dispose();
    files["interpolation.png"] = imageGrid([await decode(decoder, path)], grid);
  }
  return files;
}
