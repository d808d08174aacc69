/**
 * Barnes-Hut t-SNE (van der Maaten 2014) with scikit-learn's and openTSNE's
 * defaults, on AssemblyScript WASM-SIMD kernels and worker threads.
 *
 * ```ts
 * import { tsne } from "./tsne.ts";
 * const data = new Float32Array(1000 * 10).map(() => Math.random());
 * const { embedding, kl } = await tsne(data, { dims: 10, perplexity: 30, seed: 0 });
 * ```
 *
 * @module
 */
import { exclusive, startWorkers, stopWorkers } from "./_kernels.ts";
import { jointProbabilities } from "./affinities.ts";
import { GradientState } from "./gradient.ts";
import { pcaInit, randomInit } from "./initialization.ts";
import { nearestNeighbors } from "./knn.ts";
import { optimize, type TsneProgress } from "./optimize.ts";
import { pca } from "./pca.ts";
import { chooseThreads } from "./threads.ts";
import { UserError } from "../errors.ts";

export type { TsneProgress };

/** An option of {@linkcode tsne} out of its range, or data that do not fit `dims`. */
export class TsneOptionError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "TsneOptionError";
}

/** Options for {@linkcode tsne}. */
export interface TsneOptions {
  /** Columns of `data` (required). */
  dims: number;
  /** Effective number of neighbours (default 30); k = min(n - 1, floor(3 * perplexity + 1)) neighbours are used. */
  perplexity?: number;
  /** Iterations in all, early exaggeration included (default 1000). */
  iterations?: number;
  /** Barnes-Hut opening angle (default 0.5); 0 runs the exact O(n^2) gradient. */
  theta?: number;
  /** Seed of the random initialisation and of PCA's starting subspace (default 0). */
  seed?: number;
  /** Initial embedding: "pca" (default; random for 1-column input) or "random", both with standard deviation 1e-4. */
  init?: "pca" | "random";
  /** First reduce the input to this many principal components when it has more (default: no reduction). */
  pca?: number;
  /** Step size, or "auto" = max(n / 12, 200) for the divided-by-4 gradient (scikit-learn's `auto`, default). */
  learningRate?: number | "auto";
  /** Attraction multiplier of the first phase (default 12). */
  earlyExaggeration?: number;
  /** Iterations of the first phase (default 250). */
  earlyIterations?: number;
  /**
   * Threads: this one plus workers (default: {@linkcode chooseThreads}'s calibration, once per
   * process). Every count gives the same embedding.
   */
  threads?: number;
  /** Called every 50 iterations and at the end with the KL divergence. */
  onProgress?: (progress: TsneProgress) => void;
}

/** Wall-clock seconds of each phase. */
export interface TsneSeconds {
  /** Choosing the thread count (the first default call's calibration) and starting the workers. */
  workers: number;
  /** The optional PCA reduction of the input (about 0 without the `pca` option). */
  pca: number;
  /** The k-nearest-neighbour search, k = min(n - 1, floor(3 * perplexity + 1)). */
  knn: number;
  /** Perplexity calibration and the symmetric joint probabilities P. */
  affinities: number;
  /** The initial embedding (PCA or random). */
  init: number;
  /** The gradient-descent iterations. */
  optimize: number;
  /** The whole call, from start to result. */
  total: number;
}

/** An embedding and how it was made. */
export interface TsneResult {
  /** n x 2, row-major. */
  embedding: Float32Array;
  /** Final KL(P || Q), with the Barnes-Hut Z (exact when theta = 0), as scikit-learn's `kl_divergence_`. */
  kl: number;
  /** Number of points (rows of `data`). */
  n: number;
  /** The perplexity used. */
  perplexity: number;
  /** Iterations run, early exaggeration included. */
  iterations: number;
  /** The Barnes-Hut angle used (0: exact gradient). */
  theta: number;
  /** The step size used, with `auto` resolved to a number. */
  learningRate: number;
  /** Threads used: this one plus workers. */
  threads: number;
  /** Why that many: "requested", or the calibration's finding (see {@linkcode chooseThreads}). */
  threadsReason: string;
  /** The KL divergence every 50 iterations and at the end (exaggeration not applied). */
  klHistory: { iteration: number; kl: number }[];
  /** Wall-clock seconds of each phase. */
  seconds: TsneSeconds;
}

/**
 * Embeds the rows of `data` (row-major n x `options.dims`) in 2-D with t-SNE.
 *
 * @example
 * ```ts
 * import { tsne } from "./tsne.ts";
 * const features = new Float32Array(300 * 64).map(() => Math.random()); // 300 rows of 64
 * const { embedding } = await tsne(features, {
 *   dims: 64,
 *   seed: 0,
 *   onProgress: (p) => console.log(p.iteration, p.kl),
 * });
 * ```
 */
export async function tsne(data: Float32Array, options: TsneOptions): Promise<TsneResult> {
  const {
    dims,
    perplexity = 30,
    iterations = 1000,
    theta = 0.5,
    seed = 0,
    init = "pca",
    earlyExaggeration = 12,
    earlyIterations = 250,
    onProgress,
  } = options;
  const n = data.length / dims;
  if (!Number.isInteger(dims) || dims < 1 || !Number.isInteger(n)) {
    throw new TsneOptionError(`tsne: ${data.length} values are not rows of dims = ${dims}`);
  }
  if (!(perplexity > 0 && perplexity < n)) {
    throw new TsneOptionError(`tsne: perplexity ${perplexity} must be in (0, n = ${n})`);
  }
  if (!(theta >= 0)) throw new TsneOptionError(`tsne: theta must be >= 0, got ${theta}`);
  if (!(Number.isInteger(iterations) && iterations >= 1)) {
    throw new TsneOptionError(`tsne: iterations must be a positive integer, got ${iterations}`);
  }
  const learningRate = options.learningRate === undefined || options.learningRate === "auto"
    ? Math.max(n / earlyExaggeration, 200)
    : options.learningRate;
  const called = performance.now();
  const { threads, reason: threadsReason } = options.threads === undefined
    ? await chooseThreads()
    : { threads: options.threads, reason: "requested" };
  const calibration = (performance.now() - called) / 1000;
  return await exclusive(async () => {
    const seconds: TsneSeconds = {
      workers: 0,
      pca: 0,
      knn: 0,
      affinities: 0,
      init: 0,
      optimize: 0,
      total: 0,
    };
    // The calibration (the first default call's) counts as starting the workers.
    const start = performance.now() - 1000 * calibration;
    let mark = start;
    const lap = (phase: keyof TsneSeconds) => {
      const now = performance.now();
      seconds[phase] = (now - mark) / 1000;
      mark = now;
    };
    const workers = await startWorkers(threads - 1);
    lap("workers");
    try {
      let x = data, d = dims;
      if (options.pca && options.pca < dims) {
        x = pca(data, dims, { components: options.pca, seed }).projected;
        d = options.pca;
      }
      lap("pca");
      const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
      const neighbors = await nearestNeighbors(x, d, { k, workers });
      lap("knn");
      const p = jointProbabilities(neighbors, { perplexity });
      lap("affinities");
      const y0 = init === "pca" && d >= 2 ? pcaInit(x, d) : randomInit(n, { seed });
      lap("init");
      const state = new GradientState(y0, p, workers);
      const klHistory: TsneResult["klHistory"] = [];
      let kl: number;
      let embedding: Float32Array;
      try {
        kl = optimize(state, {
          iterations,
          learningRate,
          theta,
          earlyExaggeration,
          earlyIterations,
          onProgress: (progress) => {
            klHistory.push({ iteration: progress.iteration, kl: progress.kl });
            onProgress?.(progress);
          },
        });
        embedding = state.embedding();
      } finally {
        await state.close();
      }
      lap("optimize");
      seconds.total = (performance.now() - start) / 1000;
      return {
        embedding,
        kl,
        n,
        perplexity,
        iterations,
        theta,
        learningRate,
        threads,
        threadsReason,
        klHistory,
        seconds,
      };
    } finally {
      stopWorkers(workers);
    }
  });
}
