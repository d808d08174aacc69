/**
 * Data-parallel training across Deno workers, the design of PyTorch's
 * DistributedDataParallel with CPU cores for GPUs: the main thread is
 * replica 0 and each worker another, each with its own tfjs-wasm backend and
 * a copy of the model; every step each computes the gradients of its slice
 * of the batch, the slices' gradients are summed in a fixed order through a
 * `SharedArrayBuffer`, and every replica applies the same update, so they
 * stay identical. The training set is shared with the workers, not copied.
 * Evaluation shares the validation and test sets' batches out among the
 * replicas too ({@linkcode Replicas.evaluate}).
 *
 * BatchNorm normalises each slice with its own batch statistics, as DDP
 * does; the running statistics that evaluation uses are the main thread's,
 * updated from its slice (DDP's default too: it broadcasts rank 0's).
 *
 * ```ts
 * import { chooseWorkers } from "./parallel.ts";
 * const { count, reason } = chooseWorkers("auto", { backend: "wasm", batchSize: 128, steps: 4690 });
 * console.log(`workers: ${count} (${reason})`);
 * ```
 *
 * @module
 */
import type { Dataset } from "../data/dataset.ts";
import type { Autoencoder } from "../models/model.ts";
import type { ParallelRequest, RunConfig, WorkersRequest } from "./config.ts";
import type { TrainStep } from "./step.ts";
import { exchangeMemory, GradientExchange, type StepProfile } from "./exchange.ts";
import { parameterCount } from "./_replica.ts";
import { type KernelThreads, startKernelThreads } from "../backend/kernel_threads.ts";
import { encodeInto, latentSize } from "../inference/codec.ts";
import type {
  EncodeRequest,
  EpochReply,
  EpochRequest,
  EvaluateRequest,
  ReplicaState,
  WorkerInit,
} from "./_replica_worker.ts";
import {
  chunkCount,
  combineChunks,
  evaluateChunks,
  type EvaluateOptions,
  type Evaluation,
} from "./evaluate.ts";

/**
 * How several threads share a step: `replicas` each compute the gradients of
 * a slice of the batch and sum them ({@linkcode Replicas}); `kernels` split
 * each big kernel of the one model (src/backend/kernel_threads.ts).
 */
export type ParallelMode = "replicas" | "kernels";

/** How many threads train, how, and why. */
export interface WorkersChoice {
  /** Threads (the main thread's included); 1 trains on the main thread alone. */
  count: number;
  /** How they share the step (with one, `replicas`: there are none to share with). */
  mode: ParallelMode;
  /** One line saying why, for the log. */
  reason: string;
}

/** Options of {@linkcode chooseWorkers}. */
export interface ChooseWorkersOptions {
  /** The backend training runs on: workers run tfjs-wasm, so only `wasm` trains on several. */
  backend: string;
  /** Samples per step: under `auto`, every replica gets at least {@linkcode MIN_SLICE} of them. */
  batchSize: number;
  /** Steps the run will take: under `auto`, a run too short to repay starting replicas takes one. */
  steps: number;
  /** The fewest steps `auto` starts replicas for (default {@linkcode MIN_STEPS}). */
  minSteps?: number;
  /** What a step is, for the reason (default `steps`; e.g. `batches of 1,000 to encode`). */
  unit?: string;
  /** Hardware threads (default `navigator.hardwareConcurrency`). */
  cores?: number;
  /** How threads share the step (default `auto`: see {@linkcode parallelMode}). */
  parallel?: ParallelRequest;
}

/**
 * The fewest samples per replica `auto` gives each. Measured with
 * `deno task bench:train --workers 1,2` on a quiet 2-core machine: slices of
 * 64 (conv, batch 128) ran a step 0.58x as long as one replica and slices of
 * 128 (dense, 256) 0.80x, but slices of 32 (VAE, 64) 1.47x as long: its ~170
 * small kernels a step cost about the same for half the rows, and the
 * exchange comes on top.
 */
export const MIN_SLICE = 64;
/** Steps below which `auto` keeps one replica: a worker takes about a second to start. */
export const MIN_STEPS = 200;
/** The most threads `auto` starts. */
export const MAX_AUTO = 8;

/**
 * How threads share the steps under `request`: `auto` takes kernel threads,
 * which give the result of one thread bit for bit and, with no slice of the
 * batch per thread, can use every core whatever the batch. Measured with
 * `deno task bench:train --workers 1,2` on a 2-core machine once kernel
 * threads ran at one thread's speed on their shared memory (session 15): the
 * conv AE's fit loop took 0.78-1.31x as long on 2 kernel threads as on 2
 * replicas over nine runs (median 0.97x: a tie), the dense AE's 0.83-0.99x
 * and the VAE's 0.51-0.85x over six.
 *
 * @example
 * ```ts
 * parallelMode("auto"); // "kernels"
 * parallelMode("replicas"); // "replicas"
 * ```
 */
export function parallelMode(request: ParallelRequest | undefined): ParallelMode {
  return request && request !== "auto" ? request : "kernels";
}

/**
 * The number of threads for `request` and how they share a step: a count is
 * kept (on the wasm backend) and `auto` takes one per hardware thread, at
 * most {@linkcode MAX_AUTO}, sharing steps as {@linkcode parallelMode}
 * says; under `auto`, replicas get
 * at least {@linkcode MIN_SLICE} samples each, and runs of fewer than
 * {@linkcode MIN_STEPS} steps take one.
 *
 * @example
 * ```ts
 * import { chooseWorkers } from "./parallel.ts";
 * chooseWorkers(2, { backend: "webgpu", batchSize: 64, steps: 1000 }).count; // 1
 * chooseWorkers(2, { backend: "wasm", batchSize: 64, steps: 1000, parallel: "kernels" }).mode; // "kernels"
 * ```
 */
export function chooseWorkers(
  request: WorkersRequest,
  options: ChooseWorkersOptions,
): WorkersChoice {
  const { backend, batchSize, steps } = options;
  const parallel = options.parallel ?? "auto";
  const mode = parallelMode(parallel);
  const how = parallel !== "auto" ? `${mode} (--parallel ${mode})` : "kernel threads";
  if (backend !== "wasm") {
    return {
      count: 1,
      mode: "replicas",
      reason: `workers run tfjs-wasm; the ${backend} backend trains on one`,
    };
  }
  if (request !== "auto") {
    const reason = `requested with --workers ${request}` + (request > 1 ? `; ${how}` : "");
    return { count: request, mode, reason };
  }
  const cores = options.cores ?? (navigator.hardwareConcurrency || 1);
  if (cores < 2) return { count: 1, mode: "replicas", reason: "auto: one hardware thread" };
  if (mode === "kernels") {
    const count = Math.min(cores, MAX_AUTO);
    return { count, mode, reason: `auto: ${cores} hardware threads; ${how}` };
  }
  if (steps < (options.minSteps ?? MIN_STEPS)) {
    return {
      count: 1,
      mode,
      reason: `auto: ${steps} ${options.unit ?? "steps"} are too few to repay starting workers`,
    };
  }
  const count = Math.max(1, Math.min(cores, MAX_AUTO, Math.floor(batchSize / MIN_SLICE)));
  return {
    count,
    mode,
    reason: `auto: ${cores} hardware threads; ${how}` +
      (count < Math.min(cores, MAX_AUTO)
        ? `, ${MIN_SLICE}+ of the ${batchSize} samples a step for each`
        : ""),
  };
}

/** What {@linkcode startWorkers} started. */
export interface StartedWorkers {
  /** The choice, or one thread saying why what it asked for could not start. */
  workers: WorkersChoice;
  /** The replicas, when `workers` asked for them. */
  replicas?: Replicas;
  /** The kernel threads, when `workers` asked for them. */
  threads?: KernelThreads;
}

/**
 * Starts what `workers` chose: kernel threads, or replicas by
 * `startReplicas`; when they cannot start (a restricted runtime), one
 * thread, saying so (`doing`: what the main thread then does alone).
 *
 * @example
 * ```ts
 * import { chooseWorkers, startWorkers } from "./parallel.ts";
 * const choice = chooseWorkers(1, { backend: "wasm", batchSize: 64, steps: 10 });
 * const { workers } = await startWorkers(choice, () => Promise.reject(new Error("unused")), "training");
 * ```
 */
export async function startWorkers(
  workers: WorkersChoice,
  startReplicas: () => Promise<Replicas>,
  doing: string,
): Promise<StartedWorkers> {
  if (workers.count === 1) return { workers };
  try {
    return workers.mode === "kernels"
      ? { workers, threads: await startKernelThreads({ count: workers.count }) }
      : { workers, replicas: await startReplicas() };
  } catch (e) {
    return {
      workers: {
        count: 1,
        mode: "replicas",
        reason: `${workers.count} asked (${workers.reason}), but workers could not start: ` +
          `${(e as Error).message}; ${doing} on the main thread alone`,
      },
    };
  }
}

/** A worker's profile over the last epoch, and its live tensors. */
export interface WorkerEpoch {
  /** Milliseconds computing, exchanging and idle, and steps. */
  profile: StepProfile;
  /** `tf.memory().numTensors` in the worker after the epoch. */
  numTensors: number;
}

interface Started {
  worker: Worker;
  request<T>(message: unknown): Promise<T>;
}

/** Options of {@linkcode Replicas.start}. */
export interface StartReplicasOptions {
  /** Replicas in all (the main thread is the first). */
  count: number;
  /** The run's settings: each worker builds its model from them. */
  config: RunConfig;
  /** The training set, shared with the workers (see {@linkcode shareDataset}). */
  train: Dataset;
  /** The main thread's model, whose weights the workers load. */
  autoencoder: Autoencoder;
  /** The main thread's step, whose optimizer state the workers load (default none: they only infer). */
  step?: TrainStep;
}

/** The worker replicas of a run, and the main thread's end of the exchange. */
export class Replicas {
  #workers: Started[];
  #failure?: string;

  private constructor(workers: Started[], readonly exchange: GradientExchange) {
    this.#workers = workers;
  }

  /** Replicas in all, the main thread's included. */
  get count(): number {
    return this.#workers.length + 1;
  }

  /**
   * Starts `count - 1` workers with the main thread's weights and optimizer
   * state. Rejects when a worker cannot start (a runtime without workers, or
   * without read access to diabolo's modules), after stopping any that did.
   */
  static async start(options: StartReplicasOptions): Promise<Replicas> {
    const { count, config, train, autoencoder, step } = options;
    const memory = exchangeMemory(count, step ? parameterCount(step) : 0);
    const started: Started[] = [];
    const replicas = new Replicas(started, new GradientExchange(memory, 0));
    try {
      for (let rank = 1; rank < count; rank++) {
        const worker = new Worker(new URL("./_replica_worker.ts", import.meta.url).href, {
          type: "module",
        });
        started.push({ worker, request: replicas.#requester(worker, rank) });
      }
      const init = (rank: number): WorkerInit => ({ kind: "init", config, train, memory, rank });
      await Promise.all(started.map((w, i) => w.request(init(i + 1))));
      await replicas.load(autoencoder, step);
    } catch (e) {
      replicas.stop();
      throw e;
    }
    return replicas;
  }

  #requester(worker: Worker, rank: number) {
    return <T>(message: unknown) =>
      new Promise<T>((resolve, reject) => {
        const fail = (why: string) => {
          this.#failure ??= `training worker ${rank}: ${why}`;
          reject(new Error(this.#failure));
        };
        worker.onmessage = (e: MessageEvent) => {
          const reply = e.data as { kind: string; message?: string };
          if (reply.kind === "error") fail(reply.message ?? "failed");
          else resolve(e.data as T);
        };
        worker.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          fail(e.message);
        };
        worker.postMessage(message);
      });
  }

  /** Loads the main thread's weights (all variables) and optimizer state, if given, into every worker. */
  async load(autoencoder: Autoencoder, step?: TrainStep): Promise<void> {
    const { step: optimizerStep, moments } = step?.optimizer.getState() ?? { step: 0, moments: [] };
    const state: ReplicaState = {
      kind: "load",
      weights: autoencoder.parameters.weights.map((w) => w.read().dataSync() as Float32Array),
      optimizerStep,
      moments: moments.map((m) => m.dataSync() as Float32Array),
    };
    await Promise.all(this.#workers.map((w) => w.request(state)));
  }

  /**
   * Starts epoch `epoch` (0-based) of `steps` steps in every worker, entering
   * `phase` first if given; resolves with each worker's profile when it has
   * finished. The main thread trains its slices meanwhile.
   */
  epoch(
    epoch: number,
    steps: number,
    phase?: { index: number; reset: boolean },
  ): Promise<WorkerEpoch[]> {
    const request: EpochRequest = { kind: "epoch", epoch, steps, ...(phase && { phase }) };
    return Promise.all(
      this.#workers.map(async (w) => {
        const { profile, numTensors } = await w.request<EpochReply>(request);
        return { profile, numTensors };
      }),
    );
  }

  /**
   * {@linkcode evaluate} of `data` with the main thread's model, its chunks
   * shared out among the replicas (the main thread evaluates its share
   * meanwhile); the chunks' sums are added in chunk order, so the result is
   * the main thread's alone. The workers first take the main thread's
   * non-trainable weights (BatchNorm's running statistics). Share `data`
   * ({@linkcode shareDataset}) so that it is not copied to each worker.
   */
  async evaluate(data: Dataset, options: EvaluateOptions): Promise<Evaluation> {
    const chunks = chunkCount(data), count = this.count;
    const share = (rank: number) => {
      const from = Math.floor((rank * chunks) / count),
        to = Math.floor(((rank + 1) * chunks) / count);
      return Array.from({ length: to - from }, (_, i) => from + i);
    };
    const buffers = options.autoencoder.parameters.nonTrainableWeights.map((w) =>
      w.read().dataSync() as Float32Array
    );
    const theirs = Promise.all(this.#workers.map((w, i) =>
      w.request<Record<string, number>[]>(
        {
          kind: "evaluate",
          data,
          chunks: share(i + 1),
          seed: options.seed,
          buffers,
        } satisfies EvaluateRequest,
      )
    ));
    const mine = await evaluateChunks(data, options, share(0)).catch(async (e) => {
      await theirs.catch(() => {});
      throw e;
    });
    return combineChunks([...mine, ...(await theirs).flat()], data.count);
  }

  /**
   * The codes of every sample of `data` by `autoencoder` (the main thread's
   * model, whose weights the workers hold), n x latentDim values: the
   * samples shared out among the replicas in contiguous parts, the main
   * thread encoding its part meanwhile. Share `data` ({@linkcode shareDataset}).
   */
  async encode(data: Dataset, autoencoder: Autoencoder): Promise<Float32Array> {
    const out = new Float32Array(new SharedArrayBuffer(data.count * latentSize(autoencoder) * 4));
    const bound = (rank: number) => Math.floor((rank * data.count) / this.count);
    const theirs = Promise.all(this.#workers.map((w, i) =>
      w.request(
        {
          kind: "encode",
          data,
          from: bound(i + 1),
          to: bound(i + 2),
          out,
        } satisfies EncodeRequest,
      )
    ));
    try {
      encodeInto(autoencoder, data, { from: 0, to: bound(1), out });
    } finally {
      await theirs;
    }
    return out;
  }

  /** Why a worker failed, if one did. */
  get failure(): string | undefined {
    return this.#failure;
  }

  /** Stops the workers. */
  stop(): void {
    for (const w of this.#workers) w.worker.terminate();
    this.#workers = [];
  }
}

/**
 * `data` with its images and labels in `SharedArrayBuffer`s, so workers
 * read them without a copy each (the arrays are copied once, unless they
 * are shared already).
 *
 * @example
 * ```ts
 * import { shareDataset } from "./parallel.ts";
 * const data = {
 *   images: new Uint8Array(4),
 *   labels: new Uint8Array(1),
 *   count: 1,
 *   height: 2,
 *   width: 2,
 *   channels: 1,
 * };
 * shareDataset(data).images.buffer instanceof SharedArrayBuffer; // true
 * ```
 */
export function shareDataset<D extends Dataset>(data: D): D {
  const share = <A extends Float32Array | Uint8Array>(a: A): A => {
    if (a.buffer instanceof SharedArrayBuffer) return a;
    const ctor = a.constructor as new (b: SharedArrayBuffer) => A;
    const shared = new ctor(new SharedArrayBuffer(a.byteLength));
    shared.set(a);
    return shared;
  };
  return { ...data, images: share(data.images), labels: share(data.labels) };
}
