/**
 * Exact k nearest neighbours (squared Euclidean) by SIMD brute force in the
 * `asm/tsne_knn` kernel, each pair of rows measured once for both rows. The
 * calling thread and workers share the pairs of row blocks, each thread into
 * lists of its own, merged here at the end.
 *
 * ```ts
 * import { nearestNeighbors } from "./knn.ts";
 * const x = new Float32Array(100 * 3).map(() => Math.random());
 * const { indices, distances } = await nearestNeighbors(x, 3, { k: 5 });
 * ```
 *
 * @module
 */
import { type KernelWorker, knnKernel } from "./_kernels.ts";
import { type KnnShared, knnThread } from "./_knn_thread.ts";
import type { KnnRequest } from "./_worker.ts";

/** Rows per block, the unit of the search's order: a block of PCA-50 rows (104 KiB) stays in cache while another passes it. */
export const KNN_BLOCK = 512;

/** Options for {@linkcode nearestNeighbors}. */
export interface NearestNeighborsOptions {
  /** Neighbours per point, excluding the point itself (at most n - 1). */
  k: number;
  /** Worker threads that share the work with this one (default: none). */
  workers?: KernelWorker[];
}

/** Each point's `k` nearest other points, nearest first (ties by index). */
export interface Neighbors {
  n: number;
  k: number;
  /** n x k neighbour indices. */
  indices: Int32Array;
  /** n x k squared Euclidean distances. */
  distances: Float32Array;
}

/**
 * Finds every row's `k` nearest other rows of `data` (row-major n x `dims`).
 * The caller holds the kernels (see `exclusive` in `_kernels.ts`).
 *
 * @example
 * ```ts
 * const { indices } = await nearestNeighbors(new Float32Array([0, 0, 1, 0, 5, 5]), 2, { k: 1 });
 * // indices = [1, 0, 1]
 * ```
 */
export async function nearestNeighbors(
  data: Float32Array,
  dims: number,
  options: NearestNeighborsOptions,
): Promise<Neighbors> {
  const { n, k, seeds } = await search(data, dims, options, false);
  return {
    n,
    k,
    indices: new Int32Array(seeds.buffer, 0, n * k),
    distances: new Float32Array(seeds.buffer, 4 * n * k, n * k),
  };
}

/**
 * The distances of {@linkcode nearestNeighbors} alone, every pair of rows
 * on this thread and `workers`, none kept: the bulk of the search's work and
 * the part that threads share best, which the thread calibration
 * (`threads.ts`) times.
 *
 * @example
 * ```ts
 * import { measureAllPairs } from "./knn.ts";
 * const x = new Float32Array(512 * 8).map(() => Math.random());
 * const start = performance.now();
 * await measureAllPairs(x, 8, { k: 10 });
 * console.log(`${performance.now() - start} ms`);
 * ```
 */
export async function measureAllPairs(
  data: Float32Array,
  dims: number,
  options: NearestNeighborsOptions,
): Promise<void> {
  await search(data, dims, options, true);
}

// Runs a search on this thread and the workers; returns what they shared.
async function search(
  data: Float32Array,
  dims: number,
  options: NearestNeighborsOptions,
  measureOnly: boolean,
): Promise<KnnShared> {
  const n = data.length / dims;
  const { k, workers = [] } = options;
  const block = KNN_BLOCK;
  if (!Number.isInteger(n) || n < 2) throw new Error(`nearestNeighbors: need >= 2 rows of ${dims}`);
  if (!(k >= 1 && k < n)) throw new Error(`nearestNeighbors: k = ${k} must be in [1, ${n - 1}]`);
  const stride = Math.ceil(dims / 4) * 4;
  const threads = workers.length + 1;
  const alloc = (bytes: number) =>
    threads > 1 ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  const padded = new Float32Array(alloc(n * stride * 4));
  for (let i = 0; i < n; i++) padded.set(data.subarray(i * dims, (i + 1) * dims), i * stride);
  const shared: KnnShared = {
    data: padded,
    n,
    stride,
    k,
    order: new Int32Array(alloc(n * 4)),
    block,
    control: new Int32Array(alloc(16)),
    owner: new Int32Array(alloc(4 * Math.ceil(n / block))),
    seeds: new Int32Array(alloc(measureOnly ? 0 : n * k * 8)),
    // Lists pass between threads only when there are several and they keep what they measure.
    lists: Array.from(
      { length: threads },
      () => new Int32Array(alloc(threads > 1 && !measureOnly ? n * k * 8 : 0)),
    ),
    measureOnly,
  };
  shared.order.set(spatialOrder(data, dims, block));
  const pending = workers.map((w, t) =>
    w.request<string>({ kind: "knn", shared, thread: t + 1 } satisfies KnnRequest)
  );
  knnThread(knnKernel, shared, 0);
  await Promise.all(pending);
  return shared;
}

/**
 * An order of the rows of `data` (n x `dims`) in which rows near each other
 * in space are mostly near each other: a k-d tree's leaves, left to right.
 * Each range is split on its column of largest variance, at its median
 * rounded to a multiple of `leaf` rows, so every leaf but the last holds
 * exactly `leaf` rows and starts at a multiple of it.
 */
export function spatialOrder(data: Float32Array, dims: number, leaf: number): Int32Array {
  const n = data.length / dims;
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const split = (lo: number, hi: number): void => {
    if (hi - lo <= leaf) return;
    let column = 0, most = -1;
    for (let c = 0; c < dims; c++) {
      let sum = 0, squares = 0;
      for (let t = lo; t < hi; t++) {
        const v = data[order[t] * dims + c];
        sum += v;
        squares += v * v;
      }
      const spread = squares - (sum * sum) / (hi - lo);
      if (spread > most) [most, column] = [spread, c];
    }
    const mid = lo + Math.ceil((hi - lo) / 2 / leaf) * leaf;
    select(order, lo, hi, mid, (i) => data[i * dims + column]);
    split(lo, mid);
    split(mid, hi);
  };
  split(0, n);
  return order;
}

// Reorders a[lo, hi) so that a[mid] holds the value of that rank by `key`
// (ties by value), the lesser ones before it and the greater after (Hoare's
// quickselect with the middle element as pivot).
function select(a: Int32Array, lo: number, hi: number, mid: number, key: (i: number) => number) {
  const less = (p: number, q: number) => key(p) < key(q) || (key(p) === key(q) && p < q);
  let l = lo, r = hi - 1;
  while (l < r) {
    const pivot = a[(l + r) >> 1];
    let i = l, j = r;
    while (i <= j) {
      while (less(a[i], pivot)) i++;
      while (less(pivot, a[j])) j--;
      if (i <= j) {
        [a[i], a[j]] = [a[j], a[i]];
        i++;
        j--;
      }
    }
    if (mid <= j) r = j;
    else if (mid >= i) l = i;
    else return;
  }
}
