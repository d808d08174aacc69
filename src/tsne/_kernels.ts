/**
 * The t-SNE kernels of `asm/`, the views of their memories, and the worker
 * threads that run second instances of them.
 *
 * Each thread has its own instance (the kernels' memories are not shared);
 * the threads exchange inputs and results through `SharedArrayBuffer`s.
 * Workers are made from a `blob:` URL and get the kernels as compiled
 * `WebAssembly.Module`s, so they need no read permission.
 *
 * @module
 */
import { gradient, knn } from "./_wasm_modules.js";
import * as knnKernel from "../../asm/tsne_knn.wasm";
import * as gradientKernel from "../../asm/tsne_gradient.wasm";
import * as pcaKernel from "../../asm/tsne_pca.wasm";
import { workerMain } from "./_worker.ts";
import { knnThread } from "./_knn_thread.ts";

export { gradientKernel, knnKernel, pcaKernel };

/** The exports every t-SNE kernel has: its memory and a bump allocator. */
export interface Arena {
  memory: WebAssembly.Memory;
  alloc(bytes: number): number;
  reset(): void;
}

/** A Float32Array over `length` floats at `ptr` (views go stale when memory grows: make them after allocating). */
export function f32(arena: Arena, ptr: number, length: number): Float32Array {
  return new Float32Array(arena.memory.buffer, ptr, length);
}

/** An Int32Array over `length` ints at `ptr`. */
export function i32(arena: Arena, ptr: number, length: number): Int32Array {
  return new Int32Array(arena.memory.buffer, ptr, length);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `fn` when no other t-SNE computation is using this thread's kernel
 * instances (their state and memory are per thread, one run at a time).
 */
export function exclusive<T>(fn: () => Promise<T> | T): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => {});
  return run;
}

/** The kernels a worker instantiates, compiled once per process. */
export interface WorkerModules {
  knn: WebAssembly.Module;
  gradient: WebAssembly.Module;
}

let workerUrl: string | undefined;

/** A started worker thread with both kernels instantiated. */
export interface KernelWorker {
  worker: Worker;
  /** Posts `message` and resolves with the worker's reply. */
  request<T>(message: unknown): Promise<T>;
}

/** Starts `count` kernel workers. */
export async function startWorkers(count: number): Promise<KernelWorker[]> {
  if (count <= 0) return [];
  const mods: WorkerModules = { knn, gradient };
  workerUrl ??= URL.createObjectURL(
    new Blob([`${knnThread.toString()}\n(${workerMain.toString()})()`], {
      type: "text/javascript",
    }),
  );
  const workers: KernelWorker[] = [];
  for (let w = 0; w < count; w++) {
    const worker = new Worker(workerUrl, { type: "module" });
    const request = <T>(message: unknown) =>
      new Promise<T>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent) => resolve(e.data as T);
        worker.onerror = (e: ErrorEvent) => {
          e.preventDefault();
          reject(new Error(`t-SNE worker failed: ${e.message}`));
        };
        worker.postMessage(message);
      });
    workers.push({ worker, request });
    await request({ kind: "init", modules: mods });
  }
  return workers;
}

/** Stops the workers. */
export function stopWorkers(workers: KernelWorker[]): void {
  for (const w of workers) w.worker.terminate();
}
