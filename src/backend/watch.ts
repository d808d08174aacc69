/**
 * Counts what the active tfjs backend is asked to do: reads of tensor values
 * back to JavaScript (asynchronous `read`, blocking `readSync`) and, on
 * WebGPU, the GPU programs it dispatches. The benchmark reports these next
 * to its timings, and tests use them to prove an epoch reads nothing back
 * until its end.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { watchBackend } from "./watch.ts";
 * const watch = watchBackend();
 * await tf.scalar(1).data();
 * console.log(watch.stop()); // { reads: 1, syncReads: 0, programs: 0 }
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";

/** What a backend did while watched. */
export interface BackendCounts {
  /** Asynchronous reads (`tensor.data()`, `backend.read`). */
  reads: number;
  /** Blocking reads (`dataSync`, `arraySync`, `backend.readSync`). */
  syncReads: number;
  /** GPU programs dispatched (WebGPU only; 0 elsewhere). */
  programs: number;
}

/** A running count; `stop` restores the backend and returns the counts. */
export interface BackendWatch {
  /** The counts so far. */
  readonly counts: Readonly<BackendCounts>;
  /** Stops counting and returns the final counts. */
  stop(): BackendCounts;
}

type Counted = "read" | "readSync" | "runWebGPUProgram";
const FIELD: Record<Counted, keyof BackendCounts> = {
  read: "reads",
  readSync: "syncReads",
  runWebGPUProgram: "programs",
};

/**
 * Starts counting reads and GPU programs of the active backend, by wrapping
 * its methods on the instance (tfjs calls them through the instance, so every
 * tensor read goes through the wrappers). One watch at a time.
 *
 * @example
 * ```ts
 * import { watchBackend } from "./watch.ts";
 * import { train } from "../train/train.ts";
 * const watch = watchBackend();
 * await train({ model: "dense", epochs: 1, trainSize: 512, callbacks: [] });
 * const { syncReads } = watch.stop();
 * ```
 */
export function watchBackend(): BackendWatch {
  const backend = tf.backend() as unknown as Record<string, unknown>;
  const counts: BackendCounts = { reads: 0, syncReads: 0, programs: 0 };
  const wrapped: Counted[] = [];
  // wasm's and cpu's `read` call `readSync` inside: that is one read, not a blocking one.
  let inRead = false;
  for (const name of Object.keys(FIELD) as Counted[]) {
    const original = backend[name];
    if (typeof original !== "function") continue;
    if (Object.hasOwn(backend, name)) throw new Error(`the backend's ${name} is already watched`);
    backend[name] = function (this: unknown, ...args: unknown[]) {
      if (!(name === "readSync" && inRead)) counts[FIELD[name]]++;
      const outer = inRead;
      inRead ||= name === "read";
      try {
        return original.apply(this, args);
      } finally {
        inRead = outer;
      }
    };
    wrapped.push(name);
  }
  return {
    counts,
    stop() {
      for (const name of wrapped) delete backend[name];
      return { ...counts };
    },
  };
}

/** What `tf.profile` returns. */
export type ProfileInfo = Awaited<ReturnType<typeof tf.profile>>;

/**
 * The kernels of a `tf.profile` record, without the scopes it also lists
 * around them (an op's `...__op`, `unnamed scope`, a `tf.customGrad`
 * function's own name), whose times include their kernels'. Kernel names
 * start with a capital or an underscore (`BatchMatMul`, `_FusedMatMul`).
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * import { profiledKernels } from "./watch.ts";
 * const info = await tf.profile(() => tf.square(tf.ones([2])));
 * profiledKernels(info).map((k) => k.name); // kernel names only, e.g. ["Square"]
 * ```
 */
export function profiledKernels(info: ProfileInfo): ProfileInfo["kernels"] {
  return info.kernels.filter((k) => /^[A-Z_]/.test(k.name) && !k.name.endsWith("__op"));
}
