/**
 * The body of a t-SNE worker thread. It is serialised with `toString()` into
 * a `blob:` worker (see `_kernels.ts`), so it must not refer to anything
 * outside itself: only types may be imported.
 *
 * Messages: `init` (the compiled kernels), `knn` (neighbours of a range of
 * rows, one reply), and `repulse`, which enters a loop that computes the
 * worker's share of the repulsive forces each time the main thread bumps a
 * generation counter, until it is set negative; then it replies.
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
  /** Rows per kernel call: V8 optimises a Wasm function only for its later calls. */
  chunk: number;
}

/**
 * A `repulse` request. `control` holds [generation, finished count, exact flag];
 * `theta` the opening angle; the worker reads `positions` (2n) and writes its
 * forces to `forces` (2n) and its share of Z to `z[part]`.
 */
export interface RepulseRequest {
  kind: "repulse";
  n: number;
  leafSize: number;
  part: number;
  parts: number;
  control: Int32Array;
  theta: Float32Array;
  positions: Float32Array;
  forces: Float32Array;
  z: Float64Array;
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
      const idx = knn.alloc(rows * m.k * 4);
      const dist = knn.alloc(rows * m.k * 4);
      new Float32Array(knn.memory.buffer, x, m.data.length).set(m.data);
      knn.squaredNorms(x, m.n, m.stride, norms);
      for (let r = m.start; r < m.end; r += m.chunk) {
        const o = (r - m.start) * m.k * 4;
        knn.knn(x, m.n, m.stride, norms, r, Math.min(m.end, r + m.chunk), m.k, idx + o, dist + o);
      }
      m.indices.set(new Int32Array(knn.memory.buffer, idx, rows * m.k), m.start * m.k);
      m.distances.set(new Float32Array(knn.memory.buffer, dist, rows * m.k), m.start * m.k);
      return "done";
    },
    repulse(m: RepulseRequest) {
      gradient.reset();
      const y = gradient.setup(m.n, 0, m.leafSize);
      const out = gradient.alloc(m.n * 8);
      const ctrl = m.control;
      let generation = 0;
      for (;;) {
        Atomics.wait(ctrl, 0, generation);
        generation = Atomics.load(ctrl, 0);
        if (generation < 0) return "stopped";
        const mem = gradient.memory.buffer;
        new Float32Array(mem, y, 2 * m.n).set(m.positions);
        const forces = new Float32Array(mem, out, 2 * m.n);
        forces.fill(0);
        let z: number;
        if (Atomics.load(ctrl, 2)) z = gradient.repulseExact(m.part, m.parts, out);
        else {
          gradient.buildTree();
          z = gradient.repulse(m.theta[0], m.part, m.parts, out);
        }
        m.forces.set(forces);
        m.z[m.part] = z;
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
