/**
 * One thread's part of the exact kNN search (see `knn.ts`), run alike by the
 * calling thread and by each worker. It is serialised with `toString()` into
 * the workers' source (see `_kernels.ts`), so it must not refer to anything
 * outside itself: only types may be imported.
 *
 * @module
 */
import type * as KnnKernel from "../../asm/tsne_knn.wasm";

/**
 * What the threads of one search share: the rows of `data` (n x stride) and
 * the order in which the search takes them (see `spatialOrder`), in blocks of
 * `block` rows; counters (`control`: next block, threads done measuring,
 * next pair of blocks, next rows to finish); which thread measured each block
 * with itself, plus 1, once it has published the block's lists in `seeds`
 * (`owner`); each thread's lists once it has measured (`lists`). Lists are k
 * keys of 8 bytes per position, as 2k words. When all threads have measured,
 * `seeds` is free and takes the result: k neighbours per input row, indices
 * in its first n k words and squared distances in the rest.
 */
export interface KnnShared {
  data: Float32Array;
  n: number;
  stride: number;
  k: number;
  order: Int32Array;
  block: number;
  control: Int32Array;
  owner: Int32Array;
  seeds: Int32Array;
  lists: Int32Array[];
  /** Only compute the distances of every pair, keeping none: the work that threads share best, which the thread calibration times. */
  measureOnly?: boolean;
}

/**
 * Runs thread `thread` of `shared.lists.length`. Three steps, each shared out
 * by a counter: every block with itself (the nearest candidates most rows
 * have), whose lists the other threads take as their start; the other pairs
 * of blocks, nearest the diagonal first; then, after all threads have
 * measured, the rows, whose lists from all threads are merged, finished and
 * written out.
 */
export function knnThread(kernel: typeof KnnKernel, shared: KnnShared, thread: number): void {
  const { n, k, block, control, owner, seeds, lists } = shared;
  const threads = lists.length;
  kernel.reset();
  const x = kernel.alloc(shared.data.length * 4), order = kernel.alloc(n * 4);
  new Float32Array(kernel.memory.buffer, x, shared.data.length).set(shared.data);
  new Int32Array(kernel.memory.buffer, order, n).set(shared.order);
  const blocks = kernel.prepare(x, n, shared.stride, k, order, block);
  const staging = kernel.alloc(block * k * 8);
  const rowsOf = (b: number): [number, number] => [b * block, Math.min(n, (b + 1) * block)];
  const words = (from: number, to: number) => [2 * k * from, 2 * k * to];
  const keys = () => new Int32Array(kernel.memory.buffer, kernel.listKeys(), 2 * n * k);
  const mergeFrom = (source: Int32Array, from: number, to: number) => {
    new Int32Array(kernel.memory.buffer, staging, 2 * k * (to - from))
      .set(source.subarray(...words(from, to)));
    kernel.merge(staging, from, to);
  };
  // Pairs (I, I + d), d = first, first + 1, ...: blocks near each other in the order first.
  const measurePairs = (first: number) => {
    const count = ((blocks - first) * (blocks - first + 1)) / 2;
    for (let u; (u = Atomics.add(control, 2, 1)) < count;) {
      let d = first;
      while (u >= blocks - d) u -= blocks - d++;
      kernel.measure(u, u + d, shared.measureOnly ? 0 : 1);
    }
  };
  if (shared.measureOnly) return measurePairs(0);
  // Each block with itself, its lists then published (`owner[b]` = thread + 1).
  for (let b; (b = Atomics.add(control, 0, 1)) < blocks;) {
    const [from, to] = rowsOf(b);
    kernel.measure(b, b, 1);
    kernel.flushRows(from, to);
    if (threads === 1) continue;
    seeds.set(keys().subarray(...words(from, to)), 2 * k * from);
    Atomics.store(owner, b, thread + 1);
  }
  // Other threads' blocks published by now start this thread's lists: copies
  // that the final merge counts once. (Waiting for the rest would let a late
  // thread hold up the others.)
  for (let b = 0; b < blocks; b++) {
    const by = Atomics.load(owner, b) - 1;
    if (by >= 0 && by !== thread) mergeFrom(seeds, ...rowsOf(b));
  }
  measurePairs(1);
  kernel.flushRows(0, n);
  if (threads > 1) {
    lists[thread].set(keys());
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
    for (let c; (c = Atomics.load(control, 1)) < threads;) Atomics.wait(control, 1, c);
  }
  for (let from; (from = Atomics.add(control, 3, block)) < n;) {
    const to = Math.min(n, from + block);
    for (let t = 0; t < threads; t++) if (t !== thread) mergeFrom(lists[t], from, to);
    kernel.finish(from, to);
    // Position s's list now holds k indices, then k distances.
    const done = keys();
    for (let s = from; s < to; s++) {
      const row = shared.order[s] * k;
      seeds.set(done.subarray(2 * k * s, 2 * k * s + k), row);
      seeds.set(done.subarray(2 * k * s + k, 2 * k * (s + 1)), n * k + row);
    }
  }
}
