/**
 * `BatchMatMul` for tfjs-backend-wasm: every transpose combination through
 * one blocked WASM-SIMD product (asm/matmul.ts). The stock kernel is fast
 * only without transposes, and dense layers' gradients are A^T B and A B^T.
 * @module
 */
import { tf } from "../../deps.ts";
import * as kernel from "../../../asm/matmul.wasm";
import { type WasmBackend, withOutput } from "./_wasm_backend.ts";
import { stage, unstage } from "./_asm_kernel.ts";

/** out[b] = op(a[b]) op(b[b]) over broadcast batch dimensions. */
function batchMatMul(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  if (a.dtype !== "float32" || b.dtype !== "float32") {
    throw new Error(`BatchMatMul on wasm: float32 only, got ${a.dtype} and ${b.dtype}`);
  }
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) {
    throw new Error(
      `BatchMatMul on wasm: inner sizes ${k} and ${kb} of shapes ${a.shape} and ${b.shape} ` +
        `(transposeA ${transposeA}, transposeB ${transposeB}) differ`,
    );
  }
  const outer = tf.backend_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const batchA = size(a.shape.slice(0, -2)), batchB = size(b.shape.slice(0, -2));
  const batch = size(outer);
  const { out, outView, views } = withOutput(args.backend as WasmBackend, [...outer, m, n], [a, b]);
  const [pa, pb, pc] = stage(kernel, tf.BatchMatMul, views, outView.length);
  const ok = kernel.matmul(pa, pb, pc, batch, batchA, batchB, m, n, k, +transposeA, +transposeB);
  unstage(kernel, tf.BatchMatMul, ok, pc, outView);
  return out;
}

/** The kernel's registration record. */
export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: "wasm",
  kernelFunc: batchMatMul as unknown as tf.KernelFunc,
};
