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
import simdModule from "./_tfjs_wasm_binary.js";
import { registerWasmKernels } from "./wasm_kernels/mod.ts";
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
  return adapter ? { name, reason, adapter: adapter.description } : { name, reason };
}

const WASM_KEY = "diabolo:tfjs-backend-wasm-simd.wasm";
let wasmPrepared = false;

/**
 * Points the wasm backend at the SIMD binary from our module graph and
 * registers our kernels for it. tfjs fetches the binary through its
 * platform's `fetch` and instantiates the bytes; we answer that fetch with a
 * marker buffer and, for the duration of the backend's start, let
 * `WebAssembly.instantiate` turn the marker into the precompiled module.
 */
function prepareWasm(): void {
  if (wasmPrepared) return;
  wasmPrepared = true;
  const marker = new ArrayBuffer(0);
  const platform = tf.env().platform;
  const fetchOriginal = platform.fetch.bind(platform);
  platform.fetch = (path: string, init?: RequestInit) =>
    path === WASM_KEY
      ? Promise.resolve(
        { ok: true, arrayBuffer: () => Promise.resolve(marker) } as unknown as Response,
      )
      : fetchOriginal(path, init);
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate =
    ((source: BufferSource | WebAssembly.Module, imports?: WebAssembly.Imports) => {
      if (source !== marker) return instantiate(source as BufferSource, imports);
      WebAssembly.instantiate = instantiate;
      return instantiate(simdModule, imports).then((instance) => ({
        instance,
        module: simdModule,
      }));
    }) as typeof WebAssembly.instantiate;
  setWasmPaths({
    "tfjs-backend-wasm.wasm": WASM_KEY,
    "tfjs-backend-wasm-simd.wasm": WASM_KEY,
    "tfjs-backend-wasm-threaded-simd.wasm": WASM_KEY,
  }, true);
  registerWasmKernels();
}
