/**
 * Running our AssemblyScript kernels on tfjs-backend-wasm's heap. They are
 * built with `--importMemory` and instantiated on the backend's own
 * `WebAssembly.Memory`, so they read and write tfjs tensors in place: no
 * copies in or out. Their work areas come from tfjs's allocator too, and they
 * never grow the memory themselves.
 * @module
 */
import type { tf } from "../../deps.ts";

/** The slice of tfjs-backend-wasm's `BackendWasm` our kernels use. */
export interface WasmBackend {
  wasm: {
    asm: { memory: WebAssembly.Memory };
    _malloc(bytes: number): number;
    _free(address: number): void;
  };
  dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

const instances = new WeakMap<WebAssembly.Module, WeakMap<WebAssembly.Memory, unknown>>();
const workspaces = new WeakMap<WasmBackend, { address: number; bytes: number }>();

/** The exports of `module` instantiated on the backend's memory (once per memory). */
export function onHeap<T>(module: WebAssembly.Module, backend: unknown): T {
  const memory = (backend as WasmBackend).wasm.asm.memory;
  let byMemory = instances.get(module);
  if (!byMemory) instances.set(module, byMemory = new WeakMap());
  let exports = byMemory.get(memory);
  if (!exports) {
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    byMemory.set(memory, exports);
  }
  return exports as T;
}

/** The heap address of a tensor's data. */
export function address(backend: unknown, t: tf.TensorInfo): number {
  const data = (backend as WasmBackend).dataIdMap.get(t.dataId);
  if (!data) throw new Error(`tensor ${t.shape} is not on the wasm backend`);
  return data.memoryOffset;
}

/** A new float32 tensor of `shape` on the backend and its heap address. */
export function output(backend: unknown, shape: number[]): [tf.TensorInfo, number] {
  const out = (backend as WasmBackend).makeOutput(shape, "float32");
  return [out, address(backend, out)];
}

/**
 * A work area of at least `bytes` on the heap, shared by every kernel call
 * (calls do not overlap) and kept for the next; reallocated when too small.
 */
export function workspace(backend: unknown, bytes: number): number {
  const b = backend as WasmBackend;
  const current = workspaces.get(b);
  if (current && current.bytes >= bytes) return current.address;
  if (current) b.wasm._free(current.address);
  const size = Math.max(bytes, 2 * (current?.bytes ?? 0));
  const area = b.wasm._malloc(size);
  if (!area) throw new Error(`wasm backend: no room for a ${size}-byte kernel work area`);
  workspaces.set(b, { address: area, bytes: size });
  return area;
}
