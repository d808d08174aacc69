/**
 * Add, Sub, Multiply, RealDiv, Maximum and Minimum for tfjs-backend-wasm when
 * one float32 operand is broadcast as a scalar or as a row along the last
 * axis (a bias): asm/broadcast_binary.ts, instead of the stock kernels'
 * per-element index path, about five times slower than their same-shape
 * loop. Same shapes and other broadcasts go to the stock kernels.
 * @module
 */
import { tf } from "../../deps.ts";
import { broadcastBinary as module } from "./_modules.js";
import type { BroadcastBinaryExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";

/** The kernels this covers, with the operation codes of asm/broadcast_binary.ts. */
const OPS: Record<string, number> = {
  [tf.Add]: 0,
  [tf.Sub]: 1,
  [tf.Multiply]: 2,
  [tf.RealDiv]: 3,
  [tf.Maximum]: 4,
  [tf.Minimum]: 5,
};

/** How an output of `shape` is `full` with `part` repeated over its rows, if it is. */
interface Layout {
  full: tf.TensorInfo;
  part: tf.TensorInfo;
  rows: number;
  cols: number;
  partFirst: boolean;
}

/** `a op b` as one whole operand and one repeated row, or undefined when it is not that. */
function broadcastLayout(a: tf.TensorInfo, b: tf.TensorInfo): Layout | undefined {
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const n = tf.util.sizeFromShape(shape);
  const na = tf.util.sizeFromShape(a.shape), nb = tf.util.sizeFromShape(b.shape);
  if (n === 0 || (na === n && nb === n)) return undefined;
  const cols = shape[shape.length - 1] ?? 1;
  const as = (full: tf.TensorInfo, part: tf.TensorInfo, partFirst: boolean): Layout | undefined => {
    if (!tf.util.arraysEqual(full.shape, shape)) return undefined;
    if (tf.util.sizeFromShape(part.shape) === 1) return { full, part, rows: n, cols: 1, partFirst };
    const row = part.shape.filter((d, i) => d !== 1 || i === part.shape.length - 1);
    if (row.length === 1 && row[0] === cols) return { full, part, rows: n / cols, cols, partFirst };
    return undefined;
  };
  return as(a, b, false) ?? as(b, a, true);
}

/** Wraps the stock kernel `stock` (one of {@link OPS}) with ours for broadcast float32 operands. */
export function broadcastBinaryConfig(stock: tf.KernelConfig): tf.KernelConfig {
  const op = OPS[stock.kernelName];
  if (op === undefined) throw new Error(`no broadcast kernel for ${stock.kernelName}`);
  return {
    ...stock,
    kernelFunc: (args) => {
      const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const layout = a.dtype === "float32" && b.dtype === "float32"
        ? broadcastLayout(a, b)
        : undefined;
      if (!layout) return stock.kernelFunc(args);
      const { backend } = args;
      const [out, y] = output(backend, [...layout.full.shape]);
      onHeap<BroadcastBinaryExports>(module, backend).broadcastBinary(
        op,
        address(backend, layout.full),
        address(backend, layout.part),
        y,
        layout.rows,
        layout.cols,
        +layout.partFirst,
      );
      return out;
    },
  };
}

/** The kernel names {@link broadcastBinaryConfig} wraps. */
export const BROADCAST_KERNELS: readonly string[] = Object.keys(OPS);
