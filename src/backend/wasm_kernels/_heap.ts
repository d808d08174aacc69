/**
 * Running our AssemblyScript kernels on tfjs-backend-wasm's heap. They are
 * built with `--importMemory` and instantiated on the backend's own
 * `WebAssembly.Memory`, so they read and write tfjs tensors in place: no
 * copies in or out. Their work areas come from tfjs's allocator too, and they
 * never grow the memory themselves.
 * @module
 */
import type { tf } from "../../deps.ts";
import type { HeapKernel } from "./_modules.js";

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

const instances = new WeakMap<HeapKernel, WeakMap<WebAssembly.Memory, unknown>>();
/** Every thread's work area, by backend and thread (0: the calling one; see kernel_threads.ts). */
const workspaces = new WeakMap<WasmBackend, { address: number; bytes: number; asked: number }[]>();

/**
 * The exports of `kernel` instantiated on the backend's memory (once per
 * memory), from its build for a shared memory when the backend's is shared.
 */
export function onHeap<T>(kernel: HeapKernel, backend: unknown): T {
  const memory = (backend as WasmBackend).wasm.asm.memory;
  let byMemory = instances.get(kernel);
  if (!byMemory) instances.set(kernel, byMemory = new WeakMap());
  let exports = byMemory.get(memory);
  if (!exports) {
    const module = memory.buffer instanceof SharedArrayBuffer ? kernel.shared : kernel.plain;
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

/** Bytes of the canary written just past the part of the work area a kernel asked for. */
const CANARY = 16;
const CANARY_BYTE = 0xa5;

/**
 * A work area of at least `bytes` on the heap for thread `thread` (default
 * 0, the calling one), shared by that thread's kernel calls (which do not
 * overlap) and kept for the next; reallocated when too small. A canary
 * follows the `bytes` asked for, so that tests can tell a kernel that wrote
 * past its area ({@linkcode workspaceIntact}).
 */
export function workspace(backend: unknown, bytes: number, thread = 0): number {
  const b = backend as WasmBackend;
  let areas = workspaces.get(b);
  if (!areas) workspaces.set(b, areas = []);
  let current = areas[thread];
  if (!current || current.bytes < bytes + CANARY) {
    if (current) b.wasm._free(current.address);
    const size = Math.max(bytes + CANARY, 2 * (current?.bytes ?? 0));
    const area = b.wasm._malloc(size);
    current = areas[thread] = { address: area, bytes: size, asked: bytes };
  }
  current.asked = bytes;
  new Uint8Array(b.wasm.asm.memory.buffer, current.address + bytes, CANARY).fill(CANARY_BYTE);
  return current.address;
}

/** Whether the canaries after every thread's work area of the last kernel calls are untouched. */
export function workspaceIntact(backend: unknown): boolean {
  const b = backend as WasmBackend;
  return (workspaces.get(b) ?? []).every((current) =>
    new Uint8Array(b.wasm.asm.memory.buffer, current.address + current.asked, CANARY)
      .every((x) => x === CANARY_BYTE)
  );
}
