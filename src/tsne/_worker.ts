/**
 * The body of a t-SNE worker thread. It is serialised with `toString()` into
 * a `blob:` worker (see `_kernels.ts`), beside `knnThread`, so it must not
 * refer to anything else outside itself: only types may be imported.
 *
 * Messages: `init` (the compiled kernels), `knn` (one thread of a kNN
 * search, one reply), and `forces`, which enters a loop that computes the
 * worker's share of the repulsive and attractive forces each time the main
 * thread bumps a generation counter, until it is set negative; then it replies.
 *
 * @module
 */
import type * as GradientKernel from "../../asm/tsne_gradient.wasm";
import type * as KnnKernel from "../../asm/tsne_knn.wasm";
import { type KnnShared, knnThread } from "./_knn_thread.ts";

/** A `knn` request: run thread `thread` of a search (see `_knn_thread.ts`). */
export interface KnnRequest {
  kind: "knn";
  shared: KnnShared;
  thread: number;
}

/**
 * A `forces` request. `control` holds [generation, finished count, exact flag,
 * KL flag, reorder flag, next chunk]; `walk` the opening angle and the
 * expansion radius; P comes as CSR. Each generation the worker reads
 * `positions` (2n); with the reorder flag it relabels its P as the main thread
 * does (see `reorder` in the kernel); otherwise it updates its tree (built or
 * refitted, as the main thread's: see `updateTree`) and takes chunks from the
 * counter (`chunks` of the repulsion, then `chunks` of the attraction) until
 * none are left, writing its forces to `repulsion` and `attraction` (2n each,
 * zero elsewhere) and each chunk's share of Z or of the KL sum to `z[chunk]`
 * or `kl[chunk]`.
 */
export interface ForcesRequest {
  kind: "forces";
  n: number;
  leafSize: number;
  rebuildEvery: number;
  maxGrowth: number;
  chunks: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
  control: Int32Array;
  walk: Float32Array;
  positions: Float32Array;
  repulsion: Float32Array;
  attraction: Float32Array;
  z: Float64Array;
  kl: Float64Array;
}

/** Runs in the worker: installs the message handler. */
export function workerMain(): void {
  let knn: typeof KnnKernel;
  let gradient: typeof GradientKernel;
  const handlers: Record<string, (m: never) => unknown> = {
    init(m: { modules: { knn: WebAssembly.Module; gradient: WebAssembly.Module } }) {
      knn = new WebAssembly.Instance(m.modules.knn).exports as unknown as typeof KnnKernel;
      gradient = new WebAssembly.Instance(m.modules.gradient)
        .exports as unknown as typeof GradientKernel;
      return "ready";
    },
    knn(m: KnnRequest) {
      knnThread(knn, m.shared, m.thread);
      return "done";
    },
    forces(m: ForcesRequest) {
      gradient.reset();
      const y = gradient.setup(m.n, m.cols.length, m.leafSize);
      const rep = gradient.alloc(m.n * 8), attr = gradient.alloc(m.n * 8);
      const mem = () => gradient.memory.buffer;
      new Int32Array(mem(), gradient.pRowPtr(), m.n + 1).set(m.rowPtr);
      new Int32Array(mem(), gradient.pCols(), m.cols.length).set(m.cols);
      new Float32Array(mem(), gradient.pVals(), m.vals.length).set(m.vals);
      const ctrl = m.control;
      let generation = 0;
      for (;;) {
        Atomics.wait(ctrl, 0, generation);
        generation = Atomics.load(ctrl, 0);
        if (generation < 0) return "stopped";
        new Float32Array(mem(), y, 2 * m.n).set(m.positions);
        if (Atomics.load(ctrl, 4)) {
          // The same positions give the main thread's order: P stays aligned.
          gradient.reorder();
        } else {
          const repulsion = new Float32Array(mem(), rep, 2 * m.n).fill(0);
          const attraction = new Float32Array(mem(), attr, 2 * m.n).fill(0);
          const exact = Atomics.load(ctrl, 2), withKl = Atomics.load(ctrl, 3), c = m.chunks;
          if (!exact) gradient.updateTree(m.rebuildEvery, m.maxGrowth);
          // The same loop as the main thread's (see `gradient.ts`).
          for (let t; (t = Atomics.add(ctrl, 5, 1)) < 2 * c;) {
            if (t >= c) {
              const from = Math.floor((m.n * (t - c)) / c),
                to = Math.floor((m.n * (t - c + 1)) / c);
              m.kl[t - c] = gradient.attract(from, to, attr, withKl);
            } else if (exact) m.z[t] = gradient.repulseExact(t, c, rep);
            else m.z[t] = gradient.repulse(m.walk[0], m.walk[1], t, c, rep);
          }
          m.repulsion.set(repulsion);
          m.attraction.set(attraction);
        }
        Atomics.add(ctrl, 1, 1);
        Atomics.notify(ctrl, 1);
      }
    },
  };
  // In a worker, `self` is the worker scope; the Deno types describe a window.
  const scope = self as unknown as {
    onmessage: (e: MessageEvent) => void;
    postMessage(message: unknown): void;
  };
  scope.onmessage = (e: MessageEvent) => {
    const m = e.data as { kind: string };
    scope.postMessage(handlers[m.kind](m as never));
  };
}
