/**
 * The body of a t-SNE worker thread. It is serialised with `toString()` into
 * a `blob:` worker (see `_kernels.ts`), so it must not refer to anything
 * outside itself: only types may be imported.
 *
 * Messages: `init` (the compiled kernels), `knn` (neighbours of a range of
 * rows, one reply), and `forces`, which enters a loop that computes the
 * worker's share of the repulsive and attractive forces each time the main
 * thread bumps a generation counter, until it is set negative; then it replies.
 *
 * @module
 */
import type * as GradientKernel from "../../asm/tsne_gradient.wasm";
import type * as KnnKernel from "../../asm/tsne_knn.wasm";

/** A `knn` request: rows `[start, end)` of `data` (n x stride), results into the shared outputs. */
export interface KnnRequest {
  kind: "knn";
  data: Float32Array;
  n: number;
  stride: number;
  k: number;
  start: number;
  end: number;
  indices: Int32Array;
  distances: Float32Array;
  /** Columns of the partial-distance test (see `knn.ts`). */
  head: number;
  /** Rows per kernel call: V8 optimises a Wasm function only for its later calls. */
  chunk: number;
}

/**
 * A `forces` request. `control` holds [generation, finished count, exact flag,
 * KL flag, reorder flag]; `theta` the opening angle; P comes as CSR. Each
 * generation the worker reads `positions` (2n); with the reorder flag it
 * relabels its P as the main thread does (see `reorder` in the kernel),
 * otherwise it writes the repulsion of its part of the
 * Morton order to `repulsion` and the attraction of its part of the rows to
 * `attraction` (2n each, zero elsewhere), and its shares of Z and of the KL
 * sum to `z[part]` and `kl[part]`.
 */
export interface ForcesRequest {
  kind: "forces";
  n: number;
  leafSize: number;
  part: number;
  parts: number;
  rowPtr: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
  control: Int32Array;
  theta: Float32Array;
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
      const rows = m.end - m.start;
      knn.reset();
      const x = knn.alloc(m.data.length * 4);
      const norms = knn.alloc(m.n * 4 + 16);
      const headNorms = knn.alloc(m.n * 4 + 16);
      const idx = knn.alloc(rows * m.k * 4);
      const dist = knn.alloc(rows * m.k * 4);
      new Float32Array(knn.memory.buffer, x, m.data.length).set(m.data);
      knn.squaredNorms(x, m.n, m.stride, m.stride, norms);
      knn.squaredNorms(x, m.n, m.stride, m.head, headNorms);
      for (let r = m.start; r < m.end; r += m.chunk) {
        const end = Math.min(m.end, r + m.chunk), o = (r - m.start) * m.k * 4;
        knn.knn(x, m.n, m.stride, norms, r, end, m.k, idx + o, dist + o, m.head, headNorms);
      }
      m.indices.set(new Int32Array(knn.memory.buffer, idx, rows * m.k), m.start * m.k);
      m.distances.set(new Float32Array(knn.memory.buffer, dist, rows * m.k), m.start * m.k);
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
      const from = Math.floor((m.n * m.part) / m.parts);
      const to = Math.floor((m.n * (m.part + 1)) / m.parts);
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
          Atomics.add(ctrl, 1, 1);
          Atomics.notify(ctrl, 1);
          continue;
        }
        const repulsion = new Float32Array(mem(), rep, 2 * m.n).fill(0);
        const attraction = new Float32Array(mem(), attr, 2 * m.n).fill(0);
        if (Atomics.load(ctrl, 2)) m.z[m.part] = gradient.repulseExact(m.part, m.parts, rep);
        else {
          gradient.buildTree();
          m.z[m.part] = gradient.repulse(m.theta[0], m.part, m.parts, rep);
        }
        m.kl[m.part] = gradient.attract(from, to, attr, Atomics.load(ctrl, 3));
        m.repulsion.set(repulsion);
        m.attraction.set(attraction);
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
