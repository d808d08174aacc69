/**
 * `DiaboloAdam`: one Adam / AdamW update of a variable as a single wasm
 * kernel (asm/adam.ts) instead of a dozen elementwise ones, with the same
 * float32 arithmetic in the same order as src/train/optimizer.ts.
 *
 * ```ts
 * import { tf } from "../../deps.ts";
 * import { ADAM, type AdamAttrs } from "./adam.ts";
 * function update(w: tf.Variable, g: tf.Tensor, m: tf.Variable, v: tf.Variable, attrs: AdamAttrs) {
 *   const inputs = { w, g, m, v };
 *   const [w1, m1, v1] = tf.engine().runKernel(ADAM, inputs, { ...attrs }) as tf.Tensor[];
 *   w.assign(w1), m.assign(m1), v.assign(v1);
 * }
 * ```
 * @module
 */
import { tf } from "../../deps.ts";
import { adam as module } from "./_modules.js";
import type { AdamExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";

/** The kernel's name, registered for the `wasm` backend only. */
export const ADAM = "DiaboloAdam";

/**
 * The update's constants: g' = g + w * gradDecay; m' = m * beta1 + g' * (1 - beta1);
 * v' = v * beta2 + g'^2 * (1 - beta2); w' = w * weightScale - m' / (sqrt(v') / sqrtBc2 + eps) * stepSize.
 */
export interface AdamAttrs {
  beta1: number;
  beta2: number;
  eps: number;
  /** lr / (1 - beta1^t). */
  stepSize: number;
  /** sqrt(1 - beta2^t). */
  sqrtBc2: number;
  /** Adam's L2 weight decay (0 for none or for AdamW). */
  gradDecay: number;
  /** AdamW's 1 - lr * weightDecay (1 for none or for Adam). */
  weightScale: number;
}

/** The kernel's registration record: inputs w, g, m, v; outputs [w', m', v']. */
export const adamConfig: tf.KernelConfig = {
  kernelName: ADAM,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { w, g, m, v } = inputs as Record<"w" | "g" | "m" | "v", tf.TensorInfo>;
    const a = attrs as unknown as AdamAttrs;
    const n = tf.util.sizeFromShape(w.shape);
    for (const t of [g, m, v]) {
      if (t.dtype !== "float32" || tf.util.sizeFromShape(t.shape) !== n) {
        throw new Error(
          `${ADAM}: g, m, v must be float32 of ${w.shape}, got ${t.dtype} ${t.shape}`,
        );
      }
    }
    const [wOut, mOut, vOut] = [w, m, v].map(() => output(backend, [...w.shape]));
    onHeap<AdamExports>(module, backend).adam(
      address(backend, w),
      address(backend, g),
      address(backend, m),
      address(backend, v),
      wOut[1],
      mOut[1],
      vOut[1],
      n,
      a.beta1,
      1 - a.beta1,
      a.beta2,
      1 - a.beta2,
      a.eps,
      a.stepSize,
      a.sqrtBc2,
      a.gradDecay,
      a.weightScale,
    );
    return [wOut[0], mOut[0], vOut[0]];
  },
};
