/**
 * Principal component analysis for t-SNE: reducing wide inputs (`--pca 50`)
 * and the PCA initialisation. The covariance comes from the SIMD Gram kernel
 * in `asm/tsne_pca`; its top eigenvectors from subspace iteration with a
 * Rayleigh-Ritz step (Jacobi on the small projected matrix).
 *
 * ```ts
 * import { pca } from "./pca.ts";
 * const x = new Float32Array(500 * 20).map(() => Math.random());
 * const { projected } = pca(x, 20, { components: 2 });
 * ```
 *
 * @module
 */
import { type Arena, f32, pcaKernel } from "./_kernels.ts";

/** Options for {@linkcode pca}. */
export interface PcaOptions {
  /** Number of components to keep (at most the input's columns). */
  components: number;
  /** Seed of the starting subspace (default 0). */
  seed?: number;
}

/** The principal components and the data projected on them. */
export interface PcaResult {
  /** n x components, centred data times the components. */
  projected: Float32Array;
  /** components x dims, unit rows, each signed so its largest entry is positive. */
  components: Float64Array;
  /** The variance along each component, descending. */
  variances: Float64Array;
  /** The column means. */
  mean: Float64Array;
}

const BLOCK_ROWS = 2048;
/**
 * Inputs with at most this share of nonzero values (MNIST's pixels: 0.19)
 * get their covariance from each row's nonzeros: on all 70,000 MNIST images
 * 2.0-2.1x faster than the dense kernel on the centred rows, measured when
 * those sums were a TypeScript loop (the kernel that replaced it is faster).
 */
export const SPARSE_SHARE = 0.3;
const MAX_ITERATIONS = 30;

/**
 * Projects the rows of `data` (row-major n x `dims`) on their top principal
 * components.
 *
 * @example
 * ```ts
 * import { pca } from "./pca.ts";
 * const features = new Float32Array(100 * 64).map(() => Math.random()); // 100 rows of 64
 * const { projected, variances } = pca(features, 64, { components: 50 });
 * ```
 */
export function pca(data: Float32Array, dims: number, options: PcaOptions): PcaResult {
  const n = data.length / dims;
  const { components: k, seed = 0 } = options;
  if (!Number.isInteger(n) || n < 2) throw new Error(`pca: need >= 2 rows of ${dims} columns`);
  if (!(k >= 1 && k <= dims)) throw new Error(`pca: components = ${k} must be in [1, ${dims}]`);
  const mean = columnMeans(data, dims);
  const cov = covariance(data, dims, mean);
  const { vectors, values } = topEigen(cov, dims, k, seed);
  const projected = project(data, dims, vectors, k, mean);
  return { projected, components: vectors, variances: values, mean };
}

// The mean of each column, in f64. Rows are stepped through by a running
// offset: the same loop indexing data[i * dims + a] took 1.9 s instead of
// 0.17 on all 70,000 MNIST images in a process whose earlier t-SNE had run
// PCA on smaller inputs (the bench's order), a JIT slow path we did not trace.
function columnMeans(data: Float32Array, dims: number): Float64Array {
  const mean = new Float64Array(dims);
  for (let t = 0; t < data.length; t += dims) {
    for (let a = 0; a < dims; a++) mean[a] += data[t + a];
  }
  for (let a = 0; a < dims; a++) mean[a] /= data.length / dims;
  return mean;
}

// The covariance matrix (dims x dims, f64) of the centred rows.
function covariance(data: Float32Array, dims: number, mean: Float64Array): Float64Array {
  let nonzero = 0;
  for (let t = 0; t < data.length; t++) if (data[t] !== 0) nonzero++;
  return nonzero <= SPARSE_SHARE * data.length
    ? sparseCovariance(data, dims, mean)
    : denseCovariance(data, dims, mean);
}

// Sums x x^T over each row's nonzeros only (the kernel's sparseGramUpper, in
// f64), then takes off n mean mean^T: (f d)^2 / 2 products a row for a share
// f of nonzeros, where the dense kernel does d^2 / 2 on the centred (no
// longer sparse) rows.
function sparseCovariance(data: Float32Array, dims: number, mean: Float64Array): Float64Array {
  const n = data.length / dims;
  const kernel: Arena & typeof pcaKernel = pcaKernel;
  kernel.reset();
  const block = kernel.alloc(BLOCK_ROWS * dims * 4);
  const sums = kernel.alloc(dims * dims * 8);
  const work = kernel.alloc(dims * 12);
  new Float64Array(kernel.memory.buffer, sums, dims * dims).fill(0);
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - r0);
    f32(kernel, block, rows * dims).set(data.subarray(r0 * dims, (r0 + rows) * dims));
    kernel.sparseGramUpper(block, rows, dims, sums, work);
  }
  const cov = new Float64Array(kernel.memory.buffer, sums, dims * dims).slice();
  for (let a = 0; a < dims; a++) {
    for (let b = a; b < dims; b++) {
      cov[b * dims + a] = cov[a * dims + b] = (cov[a * dims + b] - n * mean[a] * mean[b]) / (n - 1);
    }
  }
  return cov;
}

// The SIMD Gram kernel on blocks of centred rows.
function denseCovariance(data: Float32Array, dims: number, mean: Float64Array): Float64Array {
  const n = data.length / dims, stride = Math.ceil(dims / 4) * 4;
  const kernel: Arena & typeof pcaKernel = pcaKernel;
  kernel.reset();
  const block = kernel.alloc(BLOCK_ROWS * stride * 4);
  const gram = kernel.alloc(stride * stride * 4);
  const cov = new Float64Array(dims * dims);
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - r0), rows8 = Math.ceil(rows / 8) * 8;
    const x = f32(kernel, block, rows8 * stride).fill(0);
    for (let r = 0; r < rows; r++) {
      for (let a = 0; a < dims; a++) x[r * stride + a] = data[(r0 + r) * dims + a] - mean[a];
    }
    const g = f32(kernel, gram, stride * stride).fill(0);
    kernel.gramUpper(block, rows8, stride, gram);
    for (let a = 0; a < dims; a++) {
      for (let b = a & ~3; b < dims; b++) if (b >= a) cov[a * dims + b] += g[a * stride + b];
    }
  }
  for (let a = 0; a < dims; a++) {
    for (let b = a; b < dims; b++) cov[b * dims + a] = cov[a * dims + b] /= n - 1;
  }
  return cov;
}

// Top-k eigenpairs of the symmetric `c` (d x d) by subspace iteration with
// oversampling (16 extra vectors), then Rayleigh-Ritz; exact (one Jacobi) when
// the subspace is all of R^d. Like scikit-learn's randomized PCA, a few dozen
// iterations suffice: the captured variance converges long before the vectors.
function topEigen(
  c: Float64Array,
  d: number,
  k: number,
  seed: number,
): { vectors: Float64Array; values: Float64Array } {
  const b = Math.min(d, k + 16);
  let v: Float64Array = new Float64Array(d * b); // column j of the basis at v[a * b + j]
  let state = (seed ^ 0x9e3779b9) >>> 0;
  for (let t = 0; t < v.length; t++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    v[t] = state / 2 ** 32 - 0.5;
  }
  orthonormalize(v, d, b);
  const multiply = multiplier(c, d, b);
  let previous = 0;
  for (let iter = 0; iter < (b === d ? 0 : MAX_ITERATIONS); iter++) {
    const w = multiply(v);
    let trace = 0; // sum of the top-k Rayleigh quotients: converged when it stops moving
    for (let j = 0; j < k; j++) for (let a = 0; a < d; a++) trace += v[a * b + j] * w[a * b + j];
    orthonormalize(w, d, b);
    v = w;
    if (Math.abs(trace - previous) <= 1e-8 * Math.abs(trace)) break;
    previous = trace;
  }
  // Rayleigh-Ritz: eigenvectors of V^T C V rotate V onto the eigenvectors.
  const cv = multiply(v);
  const h = new Float64Array(b * b);
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < b; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += v[a * b + i] * cv[a * b + j];
      h[i * b + j] = s;
    }
  }
  const { values, vectors: e } = jacobi(h, b);
  const order = [...values.keys()].sort((x, y) => values[y] - values[x]).slice(0, k);
  const vectors = new Float64Array(k * d);
  for (let r = 0; r < k; r++) {
    const col = order[r];
    let big = 0;
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let j = 0; j < b; j++) s += v[a * b + j] * e[j * b + col];
      vectors[r * d + a] = s;
      if (Math.abs(s) > Math.abs(big)) big = s;
    }
    if (big < 0) { for (let a = 0; a < d; a++) vectors[r * d + a] = -vectors[r * d + a]; }
  }
  return { vectors, values: Float64Array.from(order, (col) => values[col]) };
}

// A function of v (d x b) giving c v, on the kernel's multiplyF64 with c
// copied in once (b padded to even: the kernel takes two columns a vector).
function multiplier(c: Float64Array, d: number, b: number): (v: Float64Array) => Float64Array {
  const kernel: Arena & typeof pcaKernel = pcaKernel;
  const even = b + (b & 1);
  kernel.reset();
  const cp = kernel.alloc(d * d * 8),
    vp = kernel.alloc(d * even * 8),
    op = kernel.alloc(d * even * 8);
  new Float64Array(kernel.memory.buffer, cp, d * d).set(c);
  const vk = new Float64Array(kernel.memory.buffer, vp, d * even).fill(0);
  const ok = new Float64Array(kernel.memory.buffer, op, d * even);
  return (v) => {
    for (let a = 0; a < d; a++) vk.set(v.subarray(a * b, (a + 1) * b), a * even);
    kernel.multiplyF64(cp, vp, d, even, op);
    const out = new Float64Array(d * b);
    for (let a = 0; a < d; a++) out.set(ok.subarray(a * even, a * even + b), a * b);
    return out;
  };
}

// Modified Gram-Schmidt on the b columns of v (d x b), in place.
function orthonormalize(v: Float64Array, d: number, b: number): void {
  for (let j = 0; j < b; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let a = 0; a < d; a++) dot += v[a * b + i] * v[a * b + j];
      for (let a = 0; a < d; a++) v[a * b + j] -= dot * v[a * b + i];
    }
    let norm = 0;
    for (let a = 0; a < d; a++) norm += v[a * b + j] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let a = 0; a < d; a++) v[a * b + j] /= norm;
  }
}

// Cyclic Jacobi eigendecomposition of the symmetric m x m matrix `a`
// (destroyed); eigenvector j is column j of `vectors`.
function jacobi(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const vectors = new Float64Array(m * m);
  for (let i = 0; i < m; i++) vectors[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, diag = 0;
    for (let i = 0; i < m; i++) {
      diag += a[i * m + i] ** 2;
      for (let j = i + 1; j < m; j++) off += a[i * m + j] ** 2;
    }
    if (off <= 1e-24 * diag || off === 0) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q];
        if (apq === 0) continue;
        const theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let r = 0; r < m; r++) {
          const arp = a[r * m + p], arq = a[r * m + q];
          a[r * m + p] = c * arp - s * arq;
          a[r * m + q] = s * arp + c * arq;
        }
        for (let r = 0; r < m; r++) {
          const apr = a[p * m + r], aqr = a[q * m + r];
          a[p * m + r] = c * apr - s * aqr;
          a[q * m + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < m; r++) {
          const vrp = vectors[r * m + p], vrq = vectors[r * m + q];
          vectors[r * m + p] = c * vrp - s * vrq;
          vectors[r * m + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i]), vectors };
}

// (data - mean) times the components' transpose, with the SIMD projection kernel.
function project(
  data: Float32Array,
  dims: number,
  vectors: Float64Array,
  k: number,
  mean: Float64Array,
): Float32Array {
  const n = data.length / dims, stride = Math.ceil(dims / 4) * 4, kStride = Math.ceil(k / 4) * 4;
  const kernel: Arena & typeof pcaKernel = pcaKernel;
  kernel.reset();
  const block = kernel.alloc(BLOCK_ROWS * stride * 4);
  const basis = kernel.alloc(stride * kStride * 4);
  const out = kernel.alloc(BLOCK_ROWS * kStride * 4);
  const vt = f32(kernel, basis, stride * kStride).fill(0);
  const shift = new Float64Array(k); // mean . component, subtracted after the product
  for (let r = 0; r < k; r++) {
    for (let a = 0; a < dims; a++) {
      vt[a * kStride + r] = vectors[r * dims + a];
      shift[r] += mean[a] * vectors[r * dims + a];
    }
  }
  const projected = new Float32Array(n * k);
  for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
    const rows = Math.min(BLOCK_ROWS, n - r0);
    const x = f32(kernel, block, rows * stride).fill(0);
    for (let r = 0; r < rows; r++) {
      x.set(data.subarray((r0 + r) * dims, (r0 + r + 1) * dims), r * stride);
    }
    kernel.project(block, rows, stride, basis, kStride, out);
    const o = f32(kernel, out, rows * kStride);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < k; c++) projected[(r0 + r) * k + c] = o[r * kStride + c] - shift[c];
    }
  }
  return projected;
}
