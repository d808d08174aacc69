/**
 * Float32 tensors read and made in place on tfjs-backend-wasm's heap: the
 * gradient exchange of data-parallel training copies every gradient out and
 * every summed gradient back in on each step, and through `dataSync` and
 * `tf.tensor` each of those would be two copies instead of one. On other
 * backends the same calls fall back to `dataSync` and `tf.tensor`.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { copyOut, tensorFilled } from "./heap_tensors.ts";
 * const t = tensorFilled([2, 2], (values) => values.set([1, 2, 3, 4]));
 * const out = new Float32Array(6);
 * copyOut(t, out, 2); // out: 0, 0, 1, 2, 3, 4
 * t.dispose();
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { address, output } from "./wasm_kernels/_heap.ts";

/** The backend's heap when it is tfjs-backend-wasm's, else undefined. */
function heap(): { backend: tf.KernelBackend; buffer: ArrayBufferLike } | undefined {
  if (tf.getBackend() !== "wasm") return undefined;
  const backend = tf.backend();
  const memory = (backend as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } }).wasm
    .asm.memory;
  return { backend, buffer: memory.buffer };
}

/**
 * Copies float32 tensor `t`'s values into `target` from `offset` on, in
 * one copy on the wasm heap.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const target = new Float32Array(3);
 * copyOut(tf.tensor([5, 6]), target, 1); // target: 0, 5, 6
 * ```
 */
export function copyOut(t: tf.Tensor, target: Float32Array, offset = 0): void {
  if (t.dtype !== "float32") throw new Error(`copyOut: float32 only, got ${t.dtype}`);
  const h = heap();
  target.set(
    h ? new Float32Array(h.buffer, address(h.backend, t), t.size) : t.dataSync() as Float32Array,
    offset,
  );
}

/**
 * A new float32 tensor of `shape` whose values `fill` writes into the view
 * it is given (on the wasm heap, the tensor's own memory; the view is valid
 * only during the call).
 *
 * @example
 * ```ts
 * const ones = tensorFilled([3], (values) => values.fill(1));
 * ```
 */
export function tensorFilled(shape: number[], fill: (values: Float32Array) => void): tf.Tensor {
  const h = heap();
  if (!h) {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    fill(values);
    return tf.tensor(values, shape);
  }
  const [info, at] = output(h.backend, shape);
  // The view is taken after the allocation, which may have grown the heap.
  const buffer = heap()!.buffer;
  fill(new Float32Array(buffer, at, shape.reduce((a, b) => a * b, 1)));
  return tf.engine().makeTensorFromTensorInfo(info);
}
