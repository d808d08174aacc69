/**
 * The slice of tfjs-backend-wasm's `BackendWasm` that our kernels use: output
 * allocation and views of tensors in the backend's heap.
 * @module
 */
import type { tf } from "../../deps.ts";

/** The wasm backend as seen by a kernel. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

/** Heap views of the inputs and a fresh output, taken after the output exists: allocating can grow and detach the heap. */
export function withOutput(
  backend: WasmBackend,
  shape: number[],
  inputs: tf.TensorInfo[],
): { out: tf.TensorInfo; outView: Float32Array; views: Float32Array[] } {
  const out = backend.makeOutput(shape, "float32");
  const outView = backend.typedArrayFromHeap(out);
  return { out, outView, views: inputs.map((t) => backend.typedArrayFromHeap(t)) };
}
