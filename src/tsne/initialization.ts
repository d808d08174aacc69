/**
 * Starting embeddings for t-SNE: the first two principal components, or
 * Gaussian noise, scaled to a standard deviation of 1e-4 as scikit-learn and
 * openTSNE do.
 *
 * ```ts
 * import { pcaInit, randomInit } from "./initialization.ts";
 * const y0 = pcaInit(new Float32Array(100 * 4).map(Math.random), 4);
 * const y1 = randomInit(100, { seed: 1 });
 * ```
 *
 * @module
 */
import { pca } from "./pca.ts";

/** The scale of the initial embedding: small, so early exaggeration can form clusters. */
export const INIT_STD = 1e-4;

/**
 * The data's top two principal components (n x 2, interleaved), scaled so the
 * first has standard deviation {@linkcode INIT_STD}.
 *
 * @example
 * ```ts
 * import { pcaInit } from "./initialization.ts";
 * const features = new Float32Array(100 * 64).map(() => Math.random()); // 100 rows of 64
 * const y0 = pcaInit(features, 64); // 100 x 2
 * ```
 */
export function pcaInit(data: Float32Array, dims: number): Float32Array {
  if (dims < 2) throw new Error(`pcaInit: need >= 2 input dimensions, got ${dims}`);
  const { projected } = pca(data, dims, { components: 2 });
  const n = projected.length / 2;
  let sum = 0, sq = 0;
  for (let i = 0; i < n; i++) sum += projected[2 * i];
  for (let i = 0; i < n; i++) sq += (projected[2 * i] - sum / n) ** 2;
  const std = Math.sqrt(sq / n) || 1;
  return projected.map((v) => (v / std) * INIT_STD);
}

/** Options for {@linkcode randomInit}. */
export interface RandomInitOptions {
  /** Seed (default 0). */
  seed?: number;
}

/**
 * Independent Gaussian coordinates with standard deviation
 * {@linkcode INIT_STD} (n x 2, interleaved), repeatable by seed.
 *
 * @example
 * ```ts
 * const y0 = randomInit(1000, { seed: 42 });
 * ```
 */
export function randomInit(n: number, options: RandomInitOptions = {}): Float32Array {
  const next = mulberry32(options.seed ?? 0);
  const out = new Float32Array(2 * n);
  for (let t = 0; t < out.length; t += 2) {
    // Box-Muller: two normals from two uniforms.
    const r = Math.sqrt(-2 * Math.log(1 - next())), a = 2 * Math.PI * next();
    out[t] = r * Math.cos(a) * INIT_STD;
    out[t + 1] = r * Math.sin(a) * INIT_STD;
  }
  return out;
}

/** A seeded uniform generator on [0, 1). */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
