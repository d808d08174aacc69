/**
 * `MaxPoolGrad` for tfjs-backend-wasm, four channels per WASM-SIMD lane group
 * (asm/max_pool_grad.ts), replacing the stock scalar loop; and
 * {@link MAX_POOL_RELU_GRAD}, the same gradient passed on through the ReLU
 * whose output was pooled, in one pass.
 * @module
 */
import { tf } from "../../deps.ts";
import { address, output } from "./_heap.ts";
import { runRanges } from "../kernel_threads.ts";
import { poolGeometry, windowOf } from "./_conv_geometry.ts";

/**
 * dX at each window's first maximum of X receives the window's dY (NHWC);
 * with `relu`, times Step(X), ReLU's gradient at the input of the ReLU whose
 * output X is.
 */
function maxPoolGrad(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
  relu: boolean,
): tf.TensorInfo {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const info = poolGeometry(input.shape, args.attrs as unknown as tf.MaxPoolGradAttrs);
  const { backend } = args;
  const [out, dx] = output(backend, [...input.shape]);
  const [px, pdy] = [address(backend, input), address(backend, dy)];
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  // An image's dX takes only its own windows: kernel threads take a range of images each.
  runRanges(backend, {
    module: "maxPoolGrad",
    fn: "maxPoolGrad",
    size: batchSize,
    unit: 1,
    elements: batchSize * h * w * c,
    args: (from, count) => [
      px + from * h * w * c * 4,
      pdy + from * oh * ow * c * 4,
      dx + from * h * w * c * 4,
      count,
      h,
      w,
      c,
      oh,
      ow,
      ...windowOf(info),
      +relu,
    ],
  });
  return out;
}

/** The kernel's registration record. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: "wasm",
  kernelFunc: ((args) => maxPoolGrad(args, false)) as tf.KernelFunc,
};

/**
 * MaxPoolGrad then ReLU's gradient at the pooled ReLU output (inputs `dy`
 * and `input`, MaxPoolGrad's attributes), registered for `wasm` only: the
 * two kernels' result bit for bit, without writing and reading dX between.
 */
export const MAX_POOL_RELU_GRAD = "DiaboloMaxPoolReluGrad";

/** The registration record of {@link MAX_POOL_RELU_GRAD}. */
export const maxPoolReluGradConfig: tf.KernelConfig = {
  kernelName: MAX_POOL_RELU_GRAD,
  backendName: "wasm",
  kernelFunc: ((args) => maxPoolGrad(args, true)) as tf.KernelFunc,
};
