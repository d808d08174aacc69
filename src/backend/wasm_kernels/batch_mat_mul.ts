/**
 * `BatchMatMul` and `_FusedMatMul` for tfjs-backend-wasm: every transpose
 * combination through one blocked WASM-SIMD product (asm/matmul.ts). The
 * stock BatchMatMul is slow with transposes, which dense layers' gradients
 * need (A^T B, A B^T); the stock _FusedMatMul re-packs its weights on every
 * call, and in training they change on every call.
 * @module
 */
import { tf } from "../../deps.ts";
import { matmul as module } from "./_modules.js";
import type { MatmulExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";
import { runJob, splitEven } from "../kernel_threads.ts";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Multiply-adds below which a product runs on one thread: about 10 us of it. */
const MIN_SPLIT = 1 << 18;

/**
 * out = op(a) op(b) over broadcast batch dimensions, then + bias and ReLU
 * when given, in the product's tiles.
 */
function product(
  args: KernelArgs,
  name: string,
  epilogue?: { bias?: tf.TensorInfo; relu: boolean },
): tf.TensorInfo {
  const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  if (a.dtype !== "float32" || b.dtype !== "float32") {
    throw new Error(`${name} on wasm: float32 only, got ${a.dtype} and ${b.dtype}`);
  }
  const ra = a.shape.length, rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) {
    throw new Error(
      `${name} on wasm: inner sizes ${k} and ${kb} of shapes ${a.shape} and ${b.shape} ` +
        `(transposeA ${transposeA}, transposeB ${transposeB}) differ`,
    );
  }
  const outer = tf.backend_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  const size = (s: number[]) => s.reduce((x, y) => x * y, 1);
  const batch = size(outer);
  const { backend } = args;
  const kernel = onHeap<MatmulExports>(module, backend);
  const [out, cOut] = output(backend, [...outer, m, n]);
  const batchA = size(a.shape.slice(0, -2)), batchB = size(b.shape.slice(0, -2));
  const [pa, pb] = [address(backend, a), address(backend, b)];
  // Big products in blocks of rows (whole A panels of 4) or of columns (whole B
  // panels of 8), one per thread: each thread packs all of the other operand,
  // so the split is along the side whose operand is the bigger to pack.
  const byRows = m > n;
  const [side, panel] = byRows ? [m, 4] : [n, 8];
  const { chunks, start } = splitEven(backend, side, panel, batch * m * n * k >= MIN_SPLIT);
  const flags = [+transposeA, +transposeB];
  const fused = [epilogue?.bias ? address(backend, epilogue.bias) : 0, +(epilogue?.relu ?? false)];
  runJob(backend, {
    module: "matmul",
    fn: "matmul",
    chunks,
    args: (c) => {
      const [lo, hi] = [start(c), start(c + 1)];
      const block = byRows ? [lo, hi, 0, n] : [0, m, lo, hi];
      return [pa, pb, cOut, 0, batch, batchA, batchB, m, n, k, ...flags, ...block, ...fused];
    },
    work: { at: 3, bytes: kernel.matmulWork() },
  });
  return out;
}

/** The kernel's registration record. */
export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: "wasm",
  kernelFunc: (args) => product(args, tf.BatchMatMul),
};

/** `_FusedMatMul`: ours for a linear or ReLU layer with a per-column bias, else the stock kernel. */
export function fusedMatMulConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const { b, bias, preluActivationWeights } = args.inputs as {
        b: tf.TensorInfo;
        bias?: tf.TensorInfo;
        preluActivationWeights?: tf.TensorInfo;
      };
      const { activation, transposeB } = args.attrs as unknown as tf._FusedMatMulAttrs;
      const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
      const ours = (activation === "linear" || activation === "relu") && !preluActivationWeights &&
        (!bias || (bias.shape.length === 1 && bias.shape[0] === n));
      return ours
        ? product(args, tf._FusedMatMul, { bias, relu: activation === "relu" })
        : stock.kernelFunc(args);
    },
  };
}
