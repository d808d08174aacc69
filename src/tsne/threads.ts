/**
 * How many threads t-SNE uses when the caller does not say: decided once per
 * process by a short calibration, not by counting hardware threads. The kNN
 * kernel computes the distances of a fixed synthetic problem (see
 * `measureAllPairs`) on this thread alone and on this thread plus workers,
 * sharing the pairs as the real search does; the workers are kept when they
 * add at least {@linkcode MIN_GAIN_PER_WORKER} of a thread each. Two vCPUs that share one core's vector units (where a second thread
 * made the optimisation slower) fail that test; two real cores pass it. The
 * choice never changes the result: every thread count gives the same
 * embedding for a seed (see `gradient.ts`).
 *
 * ```ts
 * import { chooseThreads } from "./threads.ts";
 * const { threads, reason } = await chooseThreads();
 * console.log(`t-SNE threads: ${threads} (${reason})`);
 * ```
 *
 * @module
 */
import { exclusive, type KernelWorker, startWorkers, stopWorkers } from "./_kernels.ts";
import { measureAllPairs } from "./knn.ts";

/** Most threads used by default (each adds a quadtree build per iteration). */
export const MAX_THREADS = 4;
/**
 * The share of one thread's kNN throughput each worker must add to be used
 * (0.2 = 20 %). Two vCPUs sharing one core's vector units measured 1.05x
 * (an earlier machine); two real cores 1.3-2.1x, best of four, on a machine
 * whose speed swings within the minute.
 */
export const MIN_GAIN_PER_WORKER = 0.2;
/** Rows x columns of the calibration's kNN problem (8.4 million pairs, 0.54 GFLOP: 32-36 ms on one core here). */
export const CALIBRATION_ROWS = 4096;
const CALIBRATION_DIMS = 32;
const CALIBRATION_K = 16;

/** A thread count and why. */
export interface ThreadChoice {
  /** This thread plus workers. */
  threads: number;
  /** One line saying why, for logs and `tsne.json`. */
  reason: string;
  /** Measured: the kNN throughput of `candidates` threads over one thread's (absent without a calibration). */
  speedup?: number;
}

/** Options for {@linkcode decideThreads}. */
export interface DecideThreadsOptions {
  /** Hardware threads (`navigator.hardwareConcurrency`). */
  available: number;
  /** The threads calibrated (this one plus workers). */
  candidates: number;
  /** Their measured kNN throughput over one thread's. */
  speedup: number;
}

/**
 * The rule applied to a calibration: `candidates` threads when their speedup
 * is at least 1 + {@linkcode MIN_GAIN_PER_WORKER} per worker, else 1.
 *
 * @example
 * ```ts
 * import { decideThreads } from "./threads.ts";
 * decideThreads({ available: 2, candidates: 2, speedup: 1.9 }).threads; // 2
 * decideThreads({ available: 2, candidates: 2, speedup: 1.1 }).threads; // 1
 * ```
 */
export function decideThreads(options: DecideThreadsOptions): ThreadChoice {
  const { available, candidates, speedup } = options;
  const need = 1 + MIN_GAIN_PER_WORKER * (candidates - 1);
  const measured = `${candidates} threads ran the kNN calibration ${speedup.toFixed(2)}x as fast ` +
    `as 1 (${available} hardware threads; workers need ${need.toFixed(2)}x)`;
  return speedup >= need
    ? { threads: candidates, reason: `calibration: ${measured}`, speedup }
    : { threads: 1, reason: `calibration: only ${measured}`, speedup };
}

/** Options for {@linkcode chooseThreads}. */
export interface ChooseThreadsOptions {
  /** Hardware threads (default `navigator.hardwareConcurrency`). */
  available?: number;
  /** Measure again rather than answer this process's earlier choice (default false). */
  fresh?: boolean;
}

let cached: Promise<ThreadChoice> | undefined;

/**
 * The default thread count of {@linkcode tsne}: 1 on one hardware thread,
 * else the result of a calibration of min(hardware threads, {@linkcode MAX_THREADS})
 * threads (about 0.3 s, once per process; see the module doc).
 *
 * @example
 * ```ts
 * import { chooseThreads } from "./threads.ts";
 * const choice = await chooseThreads();
 * // e.g. { threads: 2, reason: "calibration: 2 threads ran the kNN calibration 1.93x as fast as 1 ..." }
 * ```
 */
export function chooseThreads(options: ChooseThreadsOptions = {}): Promise<ThreadChoice> {
  const available = options.available ?? (navigator.hardwareConcurrency || 1);
  if (available <= 1) {
    return Promise.resolve({ threads: 1, reason: `${available} hardware thread` });
  }
  if (options.available !== undefined || options.fresh) return calibrate(available);
  return cached ??= calibrate(available);
}

// Times the kNN distances of a fixed problem on one thread and on `candidates`, best of four
// each after a warm-up of both (the kernels' first calls run in V8's baseline tier).
function calibrate(available: number): Promise<ThreadChoice> {
  const candidates = Math.min(available, MAX_THREADS);
  return exclusive(async () => {
    let workers: KernelWorker[] = [];
    try {
      workers = await startWorkers(candidates - 1);
    } catch (e) {
      return { threads: 1, reason: `workers could not start (${(e as Error).message})` };
    }
    try {
      const data = syntheticRows(CALIBRATION_ROWS, CALIBRATION_DIMS);
      const time = async (w: KernelWorker[]) => {
        const start = performance.now();
        await measureAllPairs(data, CALIBRATION_DIMS, { k: CALIBRATION_K, workers: w });
        return performance.now() - start;
      };
      await time(workers);
      await time([]);
      let one = Infinity, all = Infinity;
      for (let round = 0; round < 4; round++) {
        one = Math.min(one, await time([]));
        all = Math.min(all, await time(workers));
      }
      return decideThreads({ available, candidates, speedup: one / all });
    } finally {
      stopWorkers(workers);
    }
  });
}

// Uniform values in [0, 1) from a fixed linear congruential sequence.
function syntheticRows(rows: number, dims: number): Float32Array {
  const out = new Float32Array(rows * dims);
  let state = 12345;
  for (let t = 0; t < out.length; t++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[t] = state / 2 ** 32;
  }
  return out;
}
