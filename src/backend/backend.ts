/**
 * Backend selection: WebGPU on a hardware adapter, otherwise WASM-SIMD, and
 * the pure-JS cpu backend on request.
 *
 * ```ts
 * import { initBackend } from "./backend.ts";
 * const { name, reason } = await initBackend({ backend: "auto" });
 * console.log(`backend: ${name} (${reason})`);
 * ```
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { tf } from "../deps.ts";
import "npm:@tensorflow/tfjs-backend-cpu@4.22.0";
import { setWasmPaths } from "npm:@tensorflow/tfjs-backend-wasm@4.22.0";
import * as binaries from "./_tfjs_wasm_binary.js";
import { registerWasmKernels } from "./wasm_kernels/mod.ts";
import type { WasmBackend } from "./wasm_kernels/_heap.ts";
import { prepareWebGpu } from "./webgpu.ts";

/** What `--backend` accepts. */
export const BACKENDS = ["auto", "webgpu", "wasm", "cpu"] as const;
/** One of {@linkcode BACKENDS}. */
export type BackendRequest = typeof BACKENDS[number];

/** The backend in use and why it was chosen. */
export interface BackendChoice {
  /** The tfjs backend now active. */
  name: "webgpu" | "wasm" | "cpu";
  /** One line saying why, for logs and `config.json`. */
  reason: string;
  /** The WebGPU adapter's description, when one was found. */
  adapter?: string;
}

/** Options for {@linkcode initBackend}. */
export interface InitBackendOptions {
  /** Which backend to use; `auto` (the default) prefers a hardware WebGPU adapter, then WASM-SIMD. */
  backend?: BackendRequest;
  /**
   * On WASM-SIMD, run tfjs-backend-wasm on a shared memory, which kernel
   * threads need (`startKernelThreads`); default false: a plain memory,
   * which grows to 4 GiB where the shared one has a fixed 2 GiB (V8 ran our
   * kernels 1.22-1.24x slower on a shared memory declared able to grow; on
   * the fixed one they run as on the plain one, tests/shared_memory_bench.ts).
   * Switching restarts the backend, dropping its tensors.
   */
  sharedMemory?: boolean;
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|softpipe|swiftshader|warp|software/i;

/**
 * Activates a tfjs backend and returns which one and why.
 *
 * `auto` takes WebGPU only on a hardware adapter: a software rasteriser such
 * as Mesa's llvmpipe is a real WebGPU but slower than WASM-SIMD for training,
 * so it is passed over (ask for `webgpu` to use it anyway).
 *
 * @example
 * ```ts
 * const choice = await initBackend({ backend: "wasm" });
 * // choice.name === "wasm"
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendChoice> {
  const request = options.backend ?? "auto";
  wasmMemory.wanted = options.sharedMemory ? "shared" : "plain";
  if (request === "cpu") return await activate("cpu", "requested with --backend cpu");
  if (request === "wasm") return await activate("wasm", "requested with --backend wasm");

  const adapter = await findAdapter();
  if (request === "webgpu") {
    if (!adapter) throw new UserError("--backend webgpu: this runtime offers no WebGPU adapter");
    return await activate("webgpu", `requested with --backend webgpu`, adapter);
  }
  if (!adapter) return await activate("wasm", "no WebGPU adapter; using WASM-SIMD");
  if (adapter.software) {
    return await activate(
      "wasm",
      `WebGPU adapter "${adapter.description}" is a software rasteriser, slower than WASM-SIMD; ` +
        "using WASM-SIMD (--backend webgpu forces it)",
      adapter,
    );
  }
  return await activate(
    "webgpu",
    `hardware WebGPU adapter "${adapter.description}"`,
    adapter,
  );
}

interface Adapter {
  description: string;
  software: boolean;
}

async function findAdapter(): Promise<Adapter | undefined> {
  const gpu = (navigator as { gpu?: GPU }).gpu;
  if (!gpu) return undefined;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return undefined;
  const info = adapter.info;
  const description = [info.description, info.vendor, info.architecture, info.device]
    .filter(Boolean).join(" ") || "unnamed adapter";
  const fallback = (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  return { description, software: fallback || SOFTWARE_ADAPTER.test(description) };
}

async function activate(
  name: BackendChoice["name"],
  reason: string,
  adapter?: Adapter,
): Promise<BackendChoice> {
  // PROD drops tfjs's debug checks and its advice to install tfjs-node, which does not apply to Deno.
  tf.env().set("PROD", true);
  if (name === "wasm") prepareWasm();
  if (name === "webgpu") await prepareWebGpu({ software: adapter!.software });
  if (!(await tf.setBackend(name))) throw new UserError(`tfjs could not start the ${name} backend`);
  await tf.ready();
  if (name === "wasm") guardHeap(tf.backend() as unknown as WasmBackend);
  return adapter ? { name, reason, adapter: adapter.description } : { name, reason };
}

/**
 * Makes the wasm backend's allocator throw a {@linkcode UserError} when its
 * heap is full. tfjs goes on with address 0, and the step fails later, far
 * from the cause, as "memory access out of bounds" (2.5 GB of tensors on the
 * 2 GiB shared heap, session 16).
 */
function guardHeap(backend: WasmBackend): void {
  const { wasm } = backend;
  // The export itself: emscripten's `_malloc` starts as a stub that puts the export in its own
  // place at its first call, which would drop a wrapper of the stub.
  const { malloc } = wasm.asm as unknown as { malloc(bytes: number): number };
  wasm._malloc = (bytes: number) => {
    const at = malloc(bytes);
    if (at === 0 && bytes > 0) {
      const memory = wasm.asm.memory;
      const shared = memory.buffer instanceof SharedArrayBuffer;
      const gib = (n: number) => `${(n / 2 ** 30).toFixed(n % 2 ** 30 ? 2 : 0)} GiB`;
      throw new UserError(
        `the wasm backend's heap is full: ${(bytes / 2 ** 20).toFixed(1)} MiB more do not fit ` +
          (shared
            ? `in its fixed ${gib(memory.buffer.byteLength)} (shared, for kernel threads; ` +
              `--workers 1 runs on a plain heap that grows to 4 GiB)`
            : "in the 4 GiB it may grow to") +
          "; fewer or smaller tensors at once (a smaller batch) need less",
      );
    }
    return at;
  };
}

const WASM_KEY = "diabolo:tfjs-backend-wasm-simd.wasm";
/** tfjs-backend-wasm's registration priority (its own). */
const WASM_PRIORITY = 2;
let wasmPrepared = false;
/** What our `fetch` answers for the binary, and `WebAssembly.instantiate` recognises. */
const marker = new ArrayBuffer(0);
/** The memory the wasm backend was started on, and the one the next start asks for. */
const wasmMemory: { started?: "plain" | "shared"; wanted: "plain" | "shared" } = {
  wanted: "plain",
};

/**
 * Points the wasm backend at the SIMD binary from our module graph, with a
 * plain or a shared memory as asked, and registers our kernels for it. tfjs
 * fetches the binary through its platform's `fetch` and instantiates the
 * bytes; we answer that fetch with a marker buffer and, for the duration of
 * the backend's start, let `WebAssembly.instantiate` turn the marker into the
 * precompiled module. A backend started on the other memory is replaced.
 */
function prepareWasm(): void {
  if (!wasmPrepared) {
    wasmPrepared = true;
    const platform = tf.env().platform;
    const fetchOriginal = platform.fetch.bind(platform);
    platform.fetch = (path: string, init?: RequestInit) =>
      path === WASM_KEY
        ? Promise.resolve(
          { ok: true, arrayBuffer: () => Promise.resolve(marker) } as unknown as Response,
        )
        : fetchOriginal(path, init);
    setWasmPaths({
      "tfjs-backend-wasm.wasm": WASM_KEY,
      "tfjs-backend-wasm-simd.wasm": WASM_KEY,
      "tfjs-backend-wasm-threaded-simd.wasm": WASM_KEY,
    }, true);
    registerWasmKernels();
  }
  const { started, wanted } = wasmMemory;
  if (started === wanted) return;
  if (started) {
    // tfjs starts a backend once; another memory takes a new instance of it.
    const factory = tf.findBackendFactory("wasm")!;
    tf.removeBackend("wasm");
    tf.registerBackend("wasm", factory, WASM_PRIORITY);
  }
  wasmMemory.started = wanted;
  const module = binaries[wanted];
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate =
    ((source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
      if (source !== marker) return instantiate(source as BufferSource, imports);
      WebAssembly.instantiate = instantiate;
      return instantiate(module, imports).then((instance) => ({ instance, module }));
    }) as typeof WebAssembly.instantiate;
}
