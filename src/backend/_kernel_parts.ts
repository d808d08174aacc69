/**
 * What the main thread and the kernel threads share: how a job names its
 * kernel function (indices into sorted names), and the layout of the
 * control block through which its chunks are handed out. No tfjs here:
 * helpers load only the kernels.
 *
 * A job is `chunks` calls of one kernel function, each with its own
 * arguments. Every thread, the main one included, takes the next chunk
 * until none is left, so a thread that wakes late or runs slowly simply
 * takes fewer, and the main thread never waits for a helper that took none.
 * The JOB word packs the job's sequence number (16 bits), its chunk count
 * and the next chunk (8 bits each): a chunk is taken by one compare-and-swap
 * of it, which fails for a job that is no longer current.
 * @module
 */
import * as modules from "./wasm_kernels/_modules.js";
import type { HeapKernel } from "./wasm_kernels/_modules.js";
import { SPIN_MS } from "./spin.ts";

/** A kernel module's name, as `_modules.js` exports it. */
export type KernelModule = keyof typeof modules;

/** The kernel modules, by name (kernel threads run on a shared memory: their `shared` builds). */
export const KERNEL_MODULES: Record<KernelModule, HeapKernel> = modules;

/** The kernel modules' names, sorted: a job's module is an index into these. */
export const MODULE_NAMES = Object.keys(modules).sort() as KernelModule[];

const names = new WeakMap<HeapKernel, string[]>();

/** The function names of kernel `kernel`, sorted: a job's function is an index into these. */
export function functionNames(kernel: HeapKernel): string[] {
  let found = names.get(kernel);
  if (!found) {
    found = WebAssembly.Module.exports(kernel.shared).filter((e) => e.kind === "function")
      .map((e) => e.name).sort();
    names.set(kernel, found);
  }
  return found;
}

/** Int32 slots of the control block. */
export const SLOT = {
  /** seq << 16 | chunks << 8 | next chunk. */
  JOB: 0,
  /** Chunks finished. */
  COMPLETED: 1,
  MODULE: 2,
  FUNCTION: 3,
  ARITY: 4,
  /** The argument that is the running thread's work area, or -1. */
  WORK_ARG: 5,
  /** Set when a chunk threw. */
  FAILED: 6,
  /** Set to stop the helpers. */
  STOP: 7,
} as const;
const INTS = 8;
/** The most chunks of a job, and arguments of a chunk. */
export const MAX_CHUNKS = 64, MAX_ARGS = 24;
/** The most threads, the main one included. */
export const MAX_THREADS = 64;

/** A control block's views: its Int32 slots, chunk arguments and threads' work areas. */
export interface Control {
  ints: Int32Array;
  args: Float64Array;
  works: Float64Array;
}

/** Allocates a control block, or views one a worker was sent. */
export function control(
  shared = new SharedArrayBuffer(
    INTS * 4 + (MAX_CHUNKS * MAX_ARGS + MAX_THREADS) * 8,
  ),
): Control & { shared: SharedArrayBuffer } {
  return {
    shared,
    ints: new Int32Array(shared, 0, INTS),
    args: new Float64Array(shared, INTS * 4, MAX_CHUNKS * MAX_ARGS),
    works: new Float64Array(shared, INTS * 4 + MAX_CHUNKS * MAX_ARGS * 8, MAX_THREADS),
  };
}

/** The JOB word of job `seq` of `chunks` chunks, the next to take being `next`. */
export const jobWord = (seq: number, chunks: number, next = 0): number =>
  ((seq & 0xffff) << 16) | (chunks << 8) | next;

/**
 * Takes and runs chunks of the current job until none is left, as thread
 * `thread` (0: the main one) with `kernel(module, function)`'s functions;
 * returns the JOB word that had none left.
 */
export function runChunks(
  c: Control,
  thread: number,
  kernel: (module: number, fn: number) => (...args: number[]) => void,
): number {
  const { ints, args, works } = c;
  for (;;) {
    const word = Atomics.load(ints, SLOT.JOB);
    const chunks = (word >> 8) & 0xff, next = word & 0xff;
    if (next >= chunks) return word;
    if (Atomics.compareExchange(ints, SLOT.JOB, word, word + 1) !== word) continue;
    try {
      const arity = ints[SLOT.ARITY];
      const values = Array.from(args.subarray(next * MAX_ARGS, next * MAX_ARGS + arity));
      const at = ints[SLOT.WORK_ARG];
      if (at >= 0) values[at] = works[thread];
      kernel(ints[SLOT.MODULE], ints[SLOT.FUNCTION])(...values);
    } catch {
      Atomics.store(ints, SLOT.FAILED, 1);
    }
    if (Atomics.add(ints, SLOT.COMPLETED, 1) + 1 === chunks) Atomics.notify(ints, SLOT.COMPLETED);
  }
}

/**
 * Waits until `ints[slot]` is no longer `value` (polling for
 * {@linkcode SPIN_MS}, then sleeping) and returns what it became; with
 * `until`, until it is `value`.
 */
export function waitOn(ints: Int32Array, slot: number, value: number, until = false): number {
  let deadline = 0;
  let polls = 0;
  let now: number;
  while (((now = Atomics.load(ints, slot)) === value) !== until) {
    // The clock read every 1,024 polls (a poll takes nanoseconds, a read tens of them), and
    // only once a wait lasts that long: most waits for a job's chunks end sooner.
    if ((++polls & 1023) === 0) {
      const t = performance.now();
      if (!deadline) deadline = t + SPIN_MS;
      else if (t > deadline) Atomics.wait(ints, slot, now, 1000);
    }
  }
  return now;
}
