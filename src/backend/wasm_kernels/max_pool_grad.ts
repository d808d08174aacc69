/**
 * `MaxPoolGrad` for tfjs-backend-wasm, four channels per WASM-SIMD lane group
 * (asm/max_pool_grad.ts), replacing the stock scalar loop; and
 * {@link MAX_POOL_RELU_GRAD}, the same gradient passed on through the ReLU
 * whose output was pooled, in one pass.
 * @module
 */
import { tf } from "../../deps.ts";
import { maxPoolGrad as module } from "./_modules.js";
import type { MaxPoolGradExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";
import { poolGeometry } from "./_conv_geometry.ts";

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
  const k = onHeap<MaxPoolGradExports>(module, args.backend);
  const [out, dx] = output(args.backend, [...input.shape]);
  k.maxPoolGrad(
    address(args.backend, input),
    address(args.backend, dy),
    dx,
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
    +relu,
  );
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
