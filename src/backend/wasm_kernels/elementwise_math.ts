/**
 * `Tanh`, `Log`, `Step`, and ReLU's and Tanh's gradients for tfjs-backend-wasm
 * on float32, four lanes at a time (asm/elementwise_math.ts) instead of one
 * libm call per element: the dense AE's output layer and the BCE losses.
 * Other dtypes go to the stock kernels.
 * @module
 */
import { tf } from "../../deps.ts";
import { address, output } from "./_heap.ts";
import { runRanges } from "../kernel_threads.ts";

function unary(fn: "tanh" | "log"): (stock: tf.KernelConfig) => tf.KernelConfig {
  return (stock) => ({
    ...stock,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      if (x.dtype !== "float32") return stock.kernelFunc(args);
      const [out, y] = output(args.backend, [...x.shape]);
      const from = address(args.backend, x);
      runRanges(args.backend, {
        module: "elementwiseMath",
        fn,
        size: tf.util.sizeFromShape(x.shape),
        args: (i, count) => [from + 4 * i, y + 4 * i, count],
      });
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
      const from = address(args.backend, x);
      runRanges(args.backend, {
        module: "elementwiseMath",
        fn: "step",
        size: tf.util.sizeFromShape(x.shape),
        args: (i, count) => [from + 4 * i, y + 4 * i, count, alpha],
      });
      return out;
    },
  };
}

/**
 * The registration record, for `wasm`, of a kernel of two float32 inputs of one
 * size and one output of the second's shape.
 */
function fusedConfig(
  kernelName: string,
  fn: "reluGrad" | "tanhGrad",
  [first, second]: [string, string],
): tf.KernelConfig {
  return {
    kernelName,
    backendName: "wasm",
    kernelFunc: ({ inputs, backend }) => {
      const [a, b] = [inputs[first], inputs[second]] as tf.TensorInfo[];
      const n = tf.util.sizeFromShape(b.shape);
      if (a.dtype !== "float32" || b.dtype !== "float32" || tf.util.sizeFromShape(a.shape) !== n) {
        throw new Error(
          `${kernelName}: ${first} and ${second} must be float32 of one size, got ${a.shape} and ${b.shape}`,
        );
      }
      const [out, dx] = output(backend, [...b.shape]);
      const [pa, pb] = [address(backend, a), address(backend, b)];
      runRanges(backend, {
        module: "elementwiseMath",
        fn,
        size: n,
        args: (i, count) => [pa + 4 * i, pb + 4 * i, dx + 4 * i, count],
      });
      return out;
    },
  };
}

/** The fused ReLU gradient's kernel name (inputs dy, x), registered for `wasm` only. */
export const RELU_GRAD = "DiaboloReluGrad";

/** dx = dy * step(x) in one pass: the registration record of {@link RELU_GRAD}. */
export const reluGradConfig: tf.KernelConfig = fusedConfig(RELU_GRAD, "reluGrad", ["dy", "x"]);

/**
 * dy * step(x), ReLU's gradient at input `x` (or at its output: both are
 * positive at the same places): one {@link RELU_GRAD} kernel on backends
 * that register it, tfjs's op pair elsewhere.
 *
 * @example
 * ```ts
 * import { tf } from "../../deps.ts";
 * const dx = reluBackward(tf.ones([3]), tf.tensor([-1, 0, 2])); // [0, 0, 1]
 * ```
 */
export function reluBackward(dy: tf.Tensor, x: tf.Tensor): tf.Tensor {
  return tf.getKernel(RELU_GRAD, tf.getBackend()) !== undefined
    ? tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor
    : tf.mul(dy, tf.cast(tf.step(x), "float32"));
}

/**
 * ReLU's gradient through {@linkcode reluBackward}. Gradients are
 * registered for every backend at once, so this one keeps tfjs's op pair
 * wherever the kernel is missing.
 */
export const reluGradient: tf.GradConfig = {
  kernelName: tf.Relu,
  inputsToSave: ["x"],
  gradFunc: (dy, saved) => ({ x: () => reluBackward(dy as tf.Tensor, saved[0]) }),
};

/** The fused Tanh gradient's kernel name (inputs dy, and y = tanh(x)), registered for `wasm` only. */
export const TANH_GRAD = "DiaboloTanhGrad";

/** dx = dy * (1 - y^2) in one pass: the registration record of {@link TANH_GRAD}. */
export const tanhGradConfig: tf.KernelConfig = fusedConfig(TANH_GRAD, "tanhGrad", ["dy", "y"]);

/**
 * Tanh's gradient, tfjs-core's (1 - y^2) * dy on the saved output y, as one
 * {@link TANH_GRAD} kernel on backends that register it (equal to tfjs's
 * Square, Sub and Multiply, which it replaces), and those three elsewhere.
 */
export const tanhGradient: tf.GradConfig = {
  kernelName: tf.Tanh,
  outputsToSave: [true],
  gradFunc: (dy, saved) => {
    const [y] = saved;
    const g = dy as tf.Tensor;
    return {
      x: () =>
        tf.getKernel(TANH_GRAD, tf.getBackend()) !== undefined
          ? tf.engine().runKernel(TANH_GRAD, { dy: g, y }) as tf.Tensor
          : tf.mul(tf.sub(tf.scalar(1), tf.square(y)), g),
    };
  },
};
