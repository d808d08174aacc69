/**
 * `Tanh`, `Log`, `Step` and ReLU's gradient for tfjs-backend-wasm on float32, four lanes at a time
 * (asm/elementwise_math.ts) instead of one libm call per element: the dense
 * AE's output layer and the BCE losses. Other dtypes go to the stock kernels.
 * @module
 */
import { tf } from "../../deps.ts";
import { elementwiseMath as module } from "./_modules.js";
import type { ElementwiseMathExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";

function unary(fn: "tanh" | "log"): (stock: tf.KernelConfig) => tf.KernelConfig {
  return (stock) => ({
    ...stock,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== "float32") return stock.kernelFunc(args);
      const [out, y] = output(args.backend, [...x.shape]);
      onHeap<ElementwiseMathExports>(module, args.backend)[fn](
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
      onHeap<ElementwiseMathExports>(module, args.backend).step(
        address(args.backend, x),
        y,
        tf.util.sizeFromShape(x.shape),
        alpha,
      );
      return out;
    },
  };
}

/** The fused ReLU gradient's kernel name (inputs dy, x), registered for `wasm` only. */
export const RELU_GRAD = "DiaboloReluGrad";

/** dx = dy * step(x) in one pass: the registration record of {@link RELU_GRAD}. */
export const reluGradConfig: tf.KernelConfig = {
  kernelName: RELU_GRAD,
  backendName: "wasm",
  kernelFunc: ({ inputs, backend }) => {
    const { dy, x } = inputs as Record<"dy" | "x", tf.TensorInfo>;
    const n = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== "float32" || dy.dtype !== "float32" || tf.util.sizeFromShape(dy.shape) !== n) {
      throw new Error(
        `${RELU_GRAD}: dy and x must be float32 of one size, got ${dy.shape} and ${x.shape}`,
      );
    }
    const [out, dx] = output(backend, [...x.shape]);
    onHeap<ElementwiseMathExports>(module, backend).reluGrad(
      address(backend, dy),
      address(backend, x),
      dx,
      n,
    );
    return out;
  },
};

/**
 * ReLU's gradient, tfjs-core's dy * step(x), as one {@link RELU_GRAD} kernel
 * on backends that register it. Gradients are registered for every backend
 * at once, so this one keeps tfjs's op pair wherever the kernel is missing.
 */
export const reluGradient: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ["x"],
  gradFunc: (dy, saved) => {
    const [x] = saved;
    const g = dy as tf.Tensor;
    return {
      x: () =>
        tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined
          ? tf.engine().runKernel(RELU_GRAD, { dy: g, x }) as tf.Tensor
          : tf.mul(g, tf.cast(tf.step(x), "float32")),
    };
  },
};
