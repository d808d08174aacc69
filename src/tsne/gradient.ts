/**
 * The t-SNE gradient on the `asm/tsne_gradient` kernel: Barnes-Hut or exact
 * repulsion, split over this thread and worker threads, attraction over the
 * sparse P, and the KL divergence.
 *
 * The gradient is the KL divergence's divided by 4 (openTSNE's convention):
 * g_i = exaggeration * sum_j p_ij w_ij (y_i - y_j) - (1/Z) sum_j w_ij^2 (y_i - y_j).
 *
 * ```ts
 * import { tsneGradient } from "./gradient.ts";
 * import type { Affinities } from "./affinities.ts";
 * async function descend(embedding: Float32Array, affinities: Affinities) {
 *   const { gradient, kl } = await tsneGradient(embedding, affinities, { theta: 0.5 });
 *   return { gradient, kl };
 * }
 * ```
 *
 * @module
 */
import {
  type Arena,
  exclusive,
  f32,
  gradientKernel,
  i32,
  type KernelWorker,
  startWorkers,
  stopWorkers,
} from "./_kernels.ts";
import type { ForcesRequest } from "./_worker.ts";
import type { Affinities } from "./affinities.ts";

/** Work units per force evaluation (each of repulsion and attraction), shared out dynamically among the threads. */
export const CHUNKS = 32;

/** Points per quadtree leaf: near leaves act point by point, and a leaf's points share one interaction list. */
export const LEAF_SIZE = 16;

/**
 * Barnes-Hut evaluations per quadtree build at most. In between, the last
 * tree is refitted to the moved points (the same nodes, their centres and
 * boxes recomputed: 1.5-2 ms against 4-6 for a build on MNIST's 70,000
 * points), with the same accuracy, unless its spread (the nodes' squared
 * widths over the root's) grew past {@linkcode TREE_MAX_GROWTH} times the
 * built tree's, when the walk through its overlapping cells would cost more
 * than a build saves: early in the optimisation, when points move fast.
 */
export const TREE_REBUILD_EVERY = 10;

/** See {@linkcode TREE_REBUILD_EVERY}. */
export const TREE_MAX_GROWTH = 1.1;

/**
 * Radius (in embedding units; the kernel 1 / (1 + d^2) varies on a scale of
 * 1) within which a node's points share one third-order expansion of their
 * interaction list's potential instead of each summing the list. Each
 * entry's neglected terms are of order 0.15^3 = 0.0034 of its force. Early in
 * the optimisation, when the embedding is small, that is most of the tree:
 * on MNIST's 70,000 points a repulsion took 2-3 ms instead of 52-67 at the
 * initialisation and 37-44 instead of 53-61 at iteration 300, with the same
 * force error against the exact forces (1.38 %), and the same time later on,
 * when no node is that small.
 */
export const EXPANSION_RADIUS = 0.15;

/** Options of one force evaluation. */
export interface ForceOptions {
  /** Barnes-Hut opening angle; 0 with `exact` unset means exact (default 0.5). */
  theta?: number;
  /**
   * See {@linkcode EXPANSION_RADIUS} (its default when theta > 0; theta 0 asks for
   * exact sums, so 0 there: every point sums its list).
   */
  expansionRadius?: number;
  /** O(n^2) exact repulsion (default: `theta === 0`). */
  exact?: boolean;
  /** Also compute the KL divergence (default false). */
  withKl?: boolean;
}

/**
 * The kernel state for one embedding: positions, P, optimiser buffers, and the
 * workers that share the forces. Use inside `exclusive` (one per thread).
 */
export class GradientState {
  readonly n: number;
  readonly #kernel: Arena & typeof gradientKernel = gradientKernel;
  readonly #workers: KernelWorker[];
  readonly #plogp: number;
  #y = 0;
  #attr = 0;
  #rep = 0;
  #other = 0;
  // Shared with the workers: [generation, finished, exact, KL, reorder, next chunk],
  // [theta, expansion radius], positions, each worker's repulsion and attraction,
  // each chunk's Z and KL share.
  #control?: Int32Array;
  #walk?: Float32Array;
  #positions?: Float32Array;
  #repulsion: Float32Array[] = [];
  #attraction: Float32Array[] = [];
  #z?: Float64Array;
  #kl?: Float64Array;
  #stopped: Promise<unknown>[] = [];
  // Current point s is input point #order[s] (see `reorder`).
  #order: Int32Array;
  /** Quadtrees built so far (see {@linkcode TREE_REBUILD_EVERY}). */
  treeBuilds = 0;
  /** Z of the last evaluation. */
  z = 0;
  /** KL divergence of the last evaluation that asked for it. */
  kl = NaN;

  constructor(initial: Float32Array, p: Affinities, workers: KernelWorker[]) {
    const n = this.n = p.n;
    if (initial.length !== 2 * n) {
      throw new Error(`embedding has ${initial.length} values, need ${2 * n}`);
    }
    this.#workers = workers;
    this.#plogp = p.plogp;
    const k = this.#kernel;
    k.reset();
    this.#y = k.setup(n, p.cols.length, LEAF_SIZE);
    this.#attr = k.alloc(8 * n);
    this.#rep = k.alloc(8 * n);
    this.#other = k.alloc(8 * n);
    new Int32Array(k.memory.buffer, k.pRowPtr(), n + 1).set(p.rowPtr);
    new Int32Array(k.memory.buffer, k.pCols(), p.cols.length).set(p.cols);
    f32(k, k.pVals(), p.vals.length).set(p.vals);
    this.positions.set(initial);
    this.#order = Int32Array.from({ length: n }, (_, i) => i);
    if (workers.length === 0) return;
    this.#control = new Int32Array(new SharedArrayBuffer(24));
    this.#walk = new Float32Array(new SharedArrayBuffer(8));
    this.#positions = new Float32Array(new SharedArrayBuffer(8 * n));
    this.#z = new Float64Array(new SharedArrayBuffer(8 * CHUNKS));
    this.#kl = new Float64Array(new SharedArrayBuffer(8 * CHUNKS));
    workers.forEach((w) => {
      const repulsion = new Float32Array(new SharedArrayBuffer(8 * n));
      const attraction = new Float32Array(new SharedArrayBuffer(8 * n));
      this.#repulsion.push(repulsion);
      this.#attraction.push(attraction);
      this.#stopped.push(w.request(
        {
          kind: "forces",
          n,
          leafSize: LEAF_SIZE,
          rebuildEvery: TREE_REBUILD_EVERY,
          maxGrowth: TREE_MAX_GROWTH,
          chunks: CHUNKS,
          rowPtr: p.rowPtr,
          cols: p.cols,
          vals: p.vals,
          control: this.#control!,
          walk: this.#walk!,
          positions: this.#positions!,
          repulsion,
          attraction,
          z: this.#z!,
          kl: this.#kl!,
        } satisfies ForcesRequest,
      ));
    });
  }

  /** The positions (n x 2, interleaved), a view into the kernel's memory. */
  get positions(): Float32Array {
    return f32(this.#kernel, this.#y, 2 * this.n);
  }

  /** The input index of each current point (see `reorder`). */
  get order(): Int32Array {
    return this.#order;
  }

  /** The positions in the input's order (n x 2, interleaved), a copy. */
  embedding(): Float32Array {
    const y = this.positions, out = new Float32Array(2 * this.n);
    for (let s = 0; s < this.n; s++) {
      out[2 * this.#order[s]] = y[2 * s];
      out[2 * this.#order[s] + 1] = y[2 * s + 1];
    }
    return out;
  }

  /**
   * Relabels the points in the Morton order of their positions (here and in
   * the workers), so that the pairs of P and the tree walk touch nearby
   * memory. Positions, gradients and P follow the new labels; `embedding()`
   * still answers in the input's order.
   */
  reorder(): void {
    const k = this.#kernel, n = this.n, c = this.#control;
    if (c) {
      this.#positions!.set(this.positions);
      Atomics.store(c, 1, 0);
      Atomics.store(c, 4, 1);
      Atomics.add(c, 0, 1);
      Atomics.notify(c, 0);
    }
    const order = i32(k, k.reorder(), n);
    this.#order = Int32Array.from(order, (old) => this.#order[old]);
    if (c) {
      this.#waitForWorkers();
      Atomics.store(c, 4, 0);
    }
  }

  /** The gradient of the last evaluation (attraction already scaled by `exaggeration`). */
  gradient(exaggeration = 1): Float32Array {
    const attr = f32(this.#kernel, this.#attr, 2 * this.n);
    const rep = f32(this.#kernel, this.#rep, 2 * this.n);
    return attr.map((a, t) => exaggeration * a - rep[t] / this.z);
  }

  /** Computes the attractive and repulsive forces (and Z, and the KL divergence if asked). */
  evaluate(options: ForceOptions = {}): void {
    const { theta = 0.5, withKl = false } = options;
    const { expansionRadius = theta > 0 ? EXPANSION_RADIUS : 0 } = options;
    const exact = options.exact ?? theta === 0;
    const k = this.#kernel, n = this.n, c = this.#control;
    // Without workers the chunks are taken in order from a local counter.
    const control = c ?? new Int32Array(6);
    const z = this.#z ?? new Float64Array(CHUNKS), kl = this.#kl ?? new Float64Array(CHUNKS);
    if (c) this.#positions!.set(this.positions);
    this.#walk?.set([theta, expansionRadius]);
    Atomics.store(control, 1, 0);
    Atomics.store(control, 2, exact ? 1 : 0);
    Atomics.store(control, 3, withKl ? 1 : 0);
    Atomics.store(control, 5, 0);
    if (c) {
      Atomics.add(c, 0, 1);
      Atomics.notify(c, 0);
    }
    f32(k, this.#rep, 2 * n).fill(0);
    f32(k, this.#attr, 2 * n).fill(0);
    if (!exact) this.treeBuilds += k.updateTree(TREE_REBUILD_EVERY, TREE_MAX_GROWTH);
    // The same loop as the workers' (see `_worker.ts`): repulsion chunks, then attraction chunks.
    for (let t; (t = Atomics.add(control, 5, 1)) < 2 * CHUNKS;) {
      if (t >= CHUNKS) {
        const from = Math.floor((n * (t - CHUNKS)) / CHUNKS);
        const to = Math.floor((n * (t - CHUNKS + 1)) / CHUNKS);
        kl[t - CHUNKS] = k.attract(from, to, this.#attr, withKl ? 1 : 0);
      } else if (exact) z[t] = k.repulseExact(t, CHUNKS, this.#rep);
      else z[t] = k.repulse(theta, expansionRadius, t, CHUNKS, this.#rep);
    }
    if (c) {
      this.#waitForWorkers();
      for (let w = 0; w < this.#workers.length; w++) {
        f32(k, this.#other, 2 * n).set(this.#repulsion[w]);
        k.addInto(this.#rep, this.#other, 2 * n);
        f32(k, this.#other, 2 * n).set(this.#attraction[w]);
        k.addInto(this.#attr, this.#other, 2 * n);
      }
    }
    // Summed in chunk order, whichever thread computed them: the result is repeatable.
    this.z = z.reduce((a, b) => a + b, 0);
    if (withKl) this.kl = this.#plogp + kl.reduce((a, b) => a + b, 0) + Math.log(this.z);
  }

  #waitForWorkers(): void {
    const c = this.#control!;
    for (let done; (done = Atomics.load(c, 1)) < this.#workers.length;) Atomics.wait(c, 1, done);
  }

  /** Applies one gains-and-momentum step with the last evaluation; returns the gradient norm. */
  step(exaggeration: number, learningRate: number, momentum: number, minGain = 0.01): number {
    return Math.sqrt(
      this.#kernel.step(
        this.#attr,
        this.#rep,
        this.z,
        exaggeration,
        learningRate,
        momentum,
        minGain,
      ),
    );
  }

  /** Restarts gains and momentum (between optimisation phases). */
  resetOptimizer(): void {
    this.#kernel.resetOptimizer();
  }

  /** Ends the workers' repulsion loops. */
  async close(): Promise<void> {
    if (!this.#control) return;
    Atomics.store(this.#control, 0, -1);
    Atomics.notify(this.#control, 0);
    await Promise.all(this.#stopped);
  }
}

/** Options for {@linkcode tsneGradient}. */
export interface TsneGradientOptions extends ForceOptions {
  /** Multiplier of the attraction (early exaggeration; default 1). */
  exaggeration?: number;
  /** Threads sharing the repulsion (default 1: this one only). */
  threads?: number;
}

/** A gradient, with the Z and KL divergence of the same evaluation. */
export interface GradientResult {
  /** n x 2, interleaved: dKL/dy / 4. */
  gradient: Float32Array;
  /** sum_{i != j} 1 / (1 + |y_i - y_j|^2), exact or Barnes-Hut. */
  z: number;
  /** KL(P || Q) with that Z. */
  kl: number;
}

/**
 * The t-SNE gradient and KL divergence of `embedding` (n x 2, interleaved)
 * under the affinities `p`.
 *
 * @example
 * ```ts
 * import { tsneGradient } from "./gradient.ts";
 * import type { Affinities } from "./affinities.ts";
 * async function compare(y: Float32Array, p: Affinities): Promise<number> {
 *   const exact = await tsneGradient(y, p, { theta: 0 });
 *   const approx = await tsneGradient(y, p, { theta: 0.5 });
 *   return approx.kl - exact.kl;
 * }
 * ```
 */
export function tsneGradient(
  embedding: Float32Array,
  p: Affinities,
  options: TsneGradientOptions = {},
): Promise<GradientResult> {
  return exclusive(async () => {
    const workers = await startWorkers((options.threads ?? 1) - 1);
    const state = new GradientState(embedding, p, workers);
    try {
      state.evaluate({ ...options, withKl: true });
      return { gradient: state.gradient(options.exaggeration), z: state.z, kl: state.kl };
    } finally {
      await state.close();
      stopWorkers(workers);
    }
  });
}
