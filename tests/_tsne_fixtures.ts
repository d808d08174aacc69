/**
 * Shared inputs of the t-SNE tests: seeded Gaussian clusters, and a direct
 * (slow, obviously correct) neighbour search to compare the kernels with.
 */
import { mulberry32 } from "../src/tsne/initialization.ts";

/** `n` points in `dims` dimensions around `clusters` well-separated centres, and their cluster. */
export function clusters(
  n: number,
  dims: number,
  clusters: number,
  seed = 1,
): { data: Float32Array; labels: Uint8Array } {
  const next = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const centres = Array.from(
    { length: clusters },
    () => Array.from({ length: dims }, () => 8 * normal()),
  );
  const data = new Float32Array(n * dims), labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % clusters;
    for (let a = 0; a < dims; a++) data[i * dims + a] = centres[labels[i]][a] + normal();
  }
  return { data, labels };
}

/** Every point's k nearest other points by f64 differences, ties by index. */
export function bruteForceNeighbors(
  data: Float32Array,
  dims: number,
  k: number,
): { indices: number[][]; distances: number[][] } {
  const n = data.length / dims;
  const indices: number[][] = [], distances: number[][] = [];
  for (let i = 0; i < n; i++) {
    const d: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let a = 0; a < dims; a++) s += (data[i * dims + a] - data[j * dims + a]) ** 2;
      d.push([s, j]);
    }
    d.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    indices.push(d.slice(0, k).map((e) => e[1]));
    distances.push(d.slice(0, k).map((e) => e[0]));
  }
  return { indices, distances };
}

/** X^T X over each row's nonzeros, upper triangle, in f64 and row order: the plain loop the PCA kernel's sparseGramUpper replaces. */
export function sparseGramReference(x: Float32Array, dims: number): Float64Array {
  const out = new Float64Array(dims * dims);
  for (let r = 0; r < x.length / dims; r++) {
    const at: number[] = [];
    for (let a = 0; a < dims; a++) if (x[r * dims + a] !== 0) at.push(a);
    for (let p = 0; p < at.length; p++) {
      for (let q = p; q < at.length; q++) {
        out[at[p] * dims + at[q]] += x[r * dims + at[p]] * x[r * dims + at[q]];
      }
    }
  }
  return out;
}

/** C V (d x d times d x b, f64), each entry summed over C's columns in order, zeros skipped: the plain loop of the PCA kernel's multiplyF64. */
export function multiplyReference(
  c: Float64Array,
  v: Float64Array,
  d: number,
  b: number,
): Float64Array {
  const out = new Float64Array(d * b);
  for (let a = 0; a < d; a++) {
    for (let t = 0; t < d; t++) {
      const s = c[a * d + t];
      if (s === 0) continue;
      for (let j = 0; j < b; j++) out[a * b + j] += s * v[t * b + j];
    }
  }
  return out;
}
