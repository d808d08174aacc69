/**
 * Kernel threads: helper workers that run parts of our AssemblyScript
 * kernels on tfjs-backend-wasm's heap, so that one model's big kernels use
 * every core. tfjs-backend-wasm runs then on a shared `WebAssembly.Memory`
 * (`initBackend`'s `sharedMemory`: its binary with the memory declared
 * shared and of a fixed size, `deno task build:tfjs-wasm`), and each helper
 * instantiates the kernels' shared builds on that same memory, so a chunk of
 * a kernel reads and writes the tensors in place, with no copies.
 *
 * A kernel splits a big call into chunks that write disjoint outputs and
 * compute every value exactly as the whole call would, so the result is the
 * same bits with any number of threads: a product by blocks of columns (the
 * same blocks over the reduction), an Adam update by ranges. The main thread
 * posts the job through a `SharedArrayBuffer` and takes chunks itself; each
 * helper wakes and takes chunks too, until none is left (see
 * `_kernel_parts.ts`). A helper that wakes late takes fewer or none, and the
 * main thread never waits for one that took none.
 *
 * ```ts
 * import { initBackend } from "./backend.ts";
 * import { startKernelThreads } from "./kernel_threads.ts";
 * await initBackend({ backend: "wasm", sharedMemory: true });
 * const threads = await startKernelThreads({ count: 2 });
 * // ... tf.matMul and Adam updates now run on 2 threads ...
 * threads.stop();
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { onHeap, type WasmBackend, workspace } from "./wasm_kernels/_heap.ts";
import type { HelperInit } from "./_kernel_thread_worker.ts";
import {
  control,
  functionNames,
  jobWord,
  KERNEL_MODULES,
  type KernelModule,
  MAX_ARGS,
  MAX_CHUNKS,
  MAX_THREADS,
  MODULE_NAMES,
  runChunks,
  SLOT,
  waitOn,
} from "./_kernel_parts.ts";

export type { KernelModule };

/** Options for {@linkcode startKernelThreads}. */
export interface KernelThreadsOptions {
  /** Threads in all, the calling one included (2 or more starts helpers; 1 starts none). */
  count: number;
}

/** Running kernel threads. */
export interface KernelThreads {
  /** Threads in all, the calling one included. */
  readonly count: number;
  /** Stops the helpers; kernels run on the calling thread alone again. */
  stop(): void;
}

interface Pool {
  workers: Worker[];
  control: ReturnType<typeof control>;
  seq: number;
}

const pools = new WeakMap<object, Pool>();

/**
 * Starts `count - 1` helper workers for the active tfjs-wasm backend, each
 * with the kernels instantiated on its heap; from then on our kernels split
 * their big calls among them and the calling thread. Rejects when workers
 * cannot start (a restricted runtime) or the backend's memory is not shared
 * (`initBackend({ backend: "wasm", sharedMemory: true })`).
 *
 * @example
 * ```ts
 * import { initBackend } from "./backend.ts";
 * import { startKernelThreads } from "./kernel_threads.ts";
 * await initBackend({ backend: "wasm", sharedMemory: true });
 * const threads = await startKernelThreads({ count: navigator.hardwareConcurrency });
 * threads.stop();
 * ```
 */
export async function startKernelThreads(options: KernelThreadsOptions): Promise<KernelThreads> {
  const backend = tf.backend() as unknown as WasmBackend & object;
  if (tf.getBackend() !== "wasm") throw new Error("kernel threads run on the wasm backend");
  const memory = backend.wasm.asm.memory;
  if (!(memory.buffer instanceof SharedArrayBuffer)) {
    throw new Error(
      "the wasm backend's memory is not shared (start it with initBackend's sharedMemory)",
    );
  }
  if (pools.has(backend)) throw new Error("kernel threads are already running");
  const count = Math.min(options.count, MAX_THREADS);
  const script = new URL("./_kernel_thread_worker.ts", import.meta.url);
  // Deno reads a worker's local modules (ours and the kernels') with the task's own read access.
  for (const needed of [script, new URL("../../asm/", import.meta.url)]) {
    if (
      needed.protocol === "file:" &&
      Deno.permissions.querySync({ name: "read", path: needed }).state !== "granted"
    ) {
      throw new Error(`a worker needs read access to ${needed.pathname} (--allow-read=src,asm)`);
    }
  }
  const pool: Pool = { workers: [], control: control(), seq: 0 };
  const stop = () => {
    const { ints } = pool.control;
    Atomics.store(ints, SLOT.STOP, 1);
    Atomics.store(ints, SLOT.JOB, jobWord(++pool.seq, 0));
    Atomics.notify(ints, SLOT.JOB);
    pool.workers.forEach((w) => w.terminate());
    if (pools.get(backend) === pool) pools.delete(backend);
  };
  try {
    for (let thread = 1; thread < count; thread++) {
      const worker = new Worker(script.href, { type: "module" });
      pool.workers.push(worker);
      await new Promise<void>((resolve, reject) => {
        worker.onmessage = (e) =>
          e.data === "ready" ? resolve() : reject(new Error(String(e.data)));
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(e.message));
        };
        const init: HelperInit = { memory, control: pool.control.shared, thread };
        worker.postMessage(init);
      });
    }
  } catch (e) {
    stop();
    throw e;
  }
  if (pool.workers.length) pools.set(backend, pool);
  return { count: pool.workers.length + 1, stop };
}

/**
 * Chunks a kernel splits a big call into per thread. One: the chunks are
 * taken, not assigned, so a helper that wakes late leaves its chunk to the
 * main thread anyway, and smaller chunks cost more than they balance: three
 * products of the dense AE and the VAE, timed in one process with this
 * constant at 1, 2 and 4 (four rounds), took 1.16-1.36 ms on 2 threads with
 * one chunk each, 1.23-1.34 with two and 1.33-1.42 with four.
 */
export const CHUNKS_PER_THREAD = 1;

/** Threads the backend's kernels may split a call among (1 when no helpers run). */
export function threadCount(backend: unknown): number {
  return (pools.get(backend as object)?.workers.length ?? 0) + 1;
}

/** How a kernel call over `size` indices is cut into chunks ({@linkcode splitEven}). */
export interface EvenSplit {
  /** Chunks. */
  chunks: number;
  /** The first index of chunk `c` (`start(chunks)` is `size`). */
  start: (c: number) => number;
}

/**
 * `size` indices (rows, columns, elements) cut into equal chunks of whole
 * `unit`s (a vector, a packed panel): {@linkcode CHUNKS_PER_THREAD} per
 * thread, or one when `worth` is false (a call too small to hand out) or no
 * helpers run.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * import { initBackend } from "./backend.ts";
 * await initBackend({ backend: "wasm" });
 * splitEven(tf.backend(), 784, 8).chunks; // 1: no kernel threads are running
 * ```
 */
export function splitEven(backend: unknown, size: number, unit: number, worth = true): EvenSplit {
  const threads = threadCount(backend);
  const most = Math.floor(size / unit);
  const chunks = worth && threads > 1
    ? Math.max(1, Math.min(CHUNKS_PER_THREAD * threads, most))
    : 1;
  return {
    chunks,
    start: (c) => c === chunks ? size : Math.round((c * size) / chunks / unit) * unit,
  };
}

/** A job for {@linkcode runJob}: `chunks` calls of one kernel function. */
export interface KernelJob {
  /** The kernel module. */
  module: KernelModule;
  /** Its function. */
  fn: string;
  /** Calls (at most 64; more threads than chunks leave some idle). */
  chunks: number;
  /** The arguments of chunk `chunk`. */
  args: (chunk: number) => number[];
  /** The work area each thread passes as argument `at`, of `bytes`: a thread's own. */
  work?: { at: number; bytes: number };
}

/**
 * Runs `job` on the backend's threads: every chunk once, on whichever
 * thread takes it first, this one included; returns when all have run.
 * Chunks must write disjoint memory. Without kernel threads, all run here.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * import { initBackend } from "./backend.ts";
 * await initBackend({ backend: "wasm" });
 * // Two calls of a function without arguments, on whichever threads are free.
 * runJob(tf.backend(), { module: "matmul", fn: "matmulWork", chunks: 2, args: () => [] });
 * ```
 */
export function runJob(backend: unknown, job: KernelJob): void {
  const compiled = KERNEL_MODULES[job.module];
  const f = functionNames(compiled).indexOf(job.fn);
  if (f < 0) throw new Error(`kernel module ${job.module} has no function ${job.fn}`);
  const own = onHeap<Record<string, (...a: number[]) => void>>(compiled, backend)[job.fn];
  const pool = pools.get(backend as object);
  const work = job.work;
  if (!pool || job.chunks === 1) {
    for (let chunk = 0; chunk < job.chunks; chunk++) {
      const values = job.args(chunk);
      if (work) values[work.at] = workspace(backend, work.bytes);
      own(...values);
    }
    return;
  }
  if (job.chunks > MAX_CHUNKS) throw new Error(`a job has at most ${MAX_CHUNKS} chunks`);
  const c = pool.control;
  const { ints, args, works } = c;
  let arity = 0;
  for (let chunk = 0; chunk < job.chunks; chunk++) {
    const values = job.args(chunk);
    if (values.length > MAX_ARGS) throw new Error(`a chunk has at most ${MAX_ARGS} arguments`);
    args.set(values, chunk * MAX_ARGS);
    arity = values.length;
  }
  if (work) {
    for (let t = 0; t <= pool.workers.length; t++) works[t] = workspace(backend, work.bytes, t);
  }
  ints[SLOT.MODULE] = MODULE_NAMES.indexOf(job.module);
  ints[SLOT.FUNCTION] = f;
  ints[SLOT.ARITY] = arity;
  ints[SLOT.WORK_ARG] = work ? work.at : -1;
  Atomics.store(ints, SLOT.COMPLETED, 0);
  Atomics.store(ints, SLOT.JOB, jobWord(++pool.seq, job.chunks));
  Atomics.notify(ints, SLOT.JOB);
  runChunks(c, 0, () => own);
  waitOn(ints, SLOT.COMPLETED, job.chunks, true);
  if (Atomics.exchange(ints, SLOT.FAILED, 0)) {
    throw new Error(`kernel thread: ${job.module}.${job.fn} failed`);
  }
}

/** Elements below which a call over ranges runs on one thread: a few microseconds of it. */
const MIN_RANGE_SPLIT = 1 << 14;

/** A job for {@linkcode runRanges}: one kernel function over `size` indices. */
export interface RangeJob {
  /** The kernel module. */
  module: KernelModule;
  /** Its function. */
  fn: string;
  /** Indices: elements, rows, columns or blocks. */
  size: number;
  /** What a range's bounds are multiples of (default 4: whole vectors of elements). */
  unit?: number;
  /** Elements the call touches, which decide whether it is worth splitting (default `size`). */
  elements?: number;
  /** The arguments of the call over indices [from, from + count). */
  args: (from: number, count: number) => number[];
  /** The work area each thread passes as argument `at` (see {@linkcode KernelJob}). */
  work?: { at: number; bytes: number };
}

/**
 * Runs `job` over ranges of whole `unit`s of its indices, one per thread
 * (see {@linkcode runJob}), or in one call when it is small or there are no
 * helpers. For an elementwise kernel a range's bounds are multiples of 4, so
 * each element is computed by the same vector or scalar code as in one call
 * over all; rows, columns and blocks are computed whole.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * import { initBackend } from "./backend.ts";
 * import { address, output } from "./wasm_kernels/_heap.ts";
 * await initBackend({ backend: "wasm" });
 * const x = tf.linspace(-2, 2, 8);
 * const backend = tf.backend();
 * const [y, at] = output(backend, [8]);
 * const from = address(backend, x);
 * runRanges(backend, {
 *   module: "elementwiseMath",
 *   fn: "tanh",
 *   size: 8,
 *   args: (i, count) => [from + 4 * i, at + 4 * i, count],
 * });
 * tf.engine().makeTensorFromTensorInfo(y).dataSync(); // tanh of each
 * ```
 */
export function runRanges(backend: unknown, job: RangeJob): void {
  const { size, unit = 4, elements = size } = job;
  const { chunks, start } = splitEven(backend, size, unit, elements >= MIN_RANGE_SPLIT);
  runJob(backend, {
    module: job.module,
    fn: job.fn,
    chunks,
    args: (c) => job.args(start(c), start(c + 1) - start(c)),
    work: job.work,
  });
}
