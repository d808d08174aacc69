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
import { address, output } from "./_heap.ts";
import { runRanges } from "../kernel_threads.ts";

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

/** The update of `w`, `m`, `v` from `g` written to `outputs` (heap addresses; the inputs' own for in place). */
function update(
  backend: unknown,
  inputs: Record<"w" | "g" | "m" | "v", tf.TensorInfo>,
  outputs: number[],
  a: AdamAttrs,
): void {
  const { w, g, m, v } = inputs;
  const n = tf.util.sizeFromShape(w.shape);
  for (const t of [g, m, v]) {
    if (t.dtype !== "float32" || tf.util.sizeFromShape(t.shape) !== n) {
      throw new Error(`${ADAM}: g, m, v must be float32 of ${w.shape}, got ${t.dtype} ${t.shape}`);
    }
  }
  const addresses = [w, g, m, v].map((t) => address(backend, t)).concat(outputs);
  const constants = [a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.eps, a.stepSize, a.sqrtBc2];
  runRanges(backend, {
    module: "adam",
    fn: "adam",
    size: n,
    args: (from, count) => [
      ...addresses.map((at) => at + 4 * from),
      count,
      ...constants,
      a.gradDecay,
      a.weightScale,
    ],
  });
}

/** The kernel's registration record: inputs w, g, m, v; outputs [w', m', v']. */
export const adamConfig: tf.KernelConfig = {
  kernelName: ADAM,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { w } = inputs as Record<"w", tf.TensorInfo>;
    const outputs = [0, 1, 2].map(() => output(backend, [...w.shape]));
    update(
      backend,
      inputs as Record<"w" | "g" | "m" | "v", tf.TensorInfo>,
      outputs.map(([, at]) => at),
      attrs as unknown as AdamAttrs,
    );
    return outputs.map(([t]) => t);
  },
};

/**
 * The same update written over `w`, `m` and `v` themselves, when the wasm
 * backend is active and no other tensor shares their data (so nothing else
 * can see it change); returns whether it did. The kernel reads each vector
 * before it writes it back, so in place gives the same bits, without three
 * new arrays a variable (the VAE's largest weight: three of 800 KB).
 *
 * @example
 * ```ts
 * import { tf } from "../../deps.ts";
 * import { initBackend } from "../backend.ts";
 * await initBackend({ backend: "wasm" });
 * const [w, m, v] = [tf.variable(tf.ones([3])), tf.variable(tf.zeros([3])), tf.variable(tf.zeros([3]))];
 * const attrs = { beta1: 0.9, beta2: 0.999, eps: 1e-8, stepSize: 0.01, sqrtBc2: 0.0316, gradDecay: 0, weightScale: 1 };
 * adamInPlace({ w, g: tf.ones([3]), m, v }, attrs); // true: w is now 0.99... each
 * ```
 */
export function adamInPlace(
  inputs: Record<"w" | "g" | "m" | "v", tf.Tensor>,
  attrs: AdamAttrs,
): boolean {
  if (tf.getBackend() !== "wasm") return false;
  const backend = tf.backend() as unknown as { refCount(dataId: tf.DataId): number };
  const { w, m, v } = inputs;
  if ([w, m, v].some((t) => backend.refCount(t.dataId) !== 1)) return false;
  update(backend, inputs, [w, m, v].map((t) => address(backend, t)), attrs);
  return true;
}
