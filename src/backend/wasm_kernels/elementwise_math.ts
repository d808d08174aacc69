/**
 * `Tanh`, `Log` and `Step` for tfjs-backend-wasm on float32, four lanes at a time
 * (asm/elementwise_math.ts) instead of one libm call per element: the dense
 * AE's output layer and the BCE losses. Other dtypes go to the stock kernels.
 * @module
 */
import { tf } from "../../deps.ts";
import { elementwiseMath as module } from "./_modules.js";
import { address, onHeap, output } from "./_heap.ts";

interface Kernel {
  tanh(x: number, y: number, n: number): void;
  log(x: number, y: number, n: number): void;
  step(x: number, y: number, n: number, alpha: number): void;
}

function unary(fn: "tanh" | "log"): (stock: tf.KernelConfig) => tf.KernelConfig {
  return (stock) => ({
    ...stock,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== "float32") return stock.kernelFunc(args);
      const [out, y] = output(args.backend, [...x.shape]);
      onHeap<Kernel>(module, args.backend)[fn](
        address(args.backend, x),
        y,
        tf.util.sizeFromShape(x.shape),
      );
      return out;
    },
  });
}

/** `Tanh`: ours on float32, else the stock kernel. */
export const tanhConfig = unary("tanh");
/** `Log`: ours on float32, else the stock kernel. */
export const logConfig = unary("log");

/** `Step` (ReLU's gradient mask): ours on float32, else the stock kernel. */
export function stepConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== "float32") return stock.kernelFunc(args);
      const { alpha } = args.attrs as unknown as tf.StepAttrs;
      const [out, y] = output(args.backend, [...x.shape]);
      onHeap<Kernel>(module, args.backend).step(
        address(args.backend, x),
        y,
        tf.util.sizeFromShape(x.shape),
        alpha,
      );
      return out;
    },
  };
}
