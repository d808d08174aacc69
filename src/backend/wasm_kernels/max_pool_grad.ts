/**
 * `MaxPoolGrad` for tfjs-backend-wasm, four channels per WASM-SIMD lane group
 * (asm/max_pool_grad.ts), replacing the stock scalar loop.
 * @module
 */
import { tf } from "../../deps.ts";
import { maxPoolGrad as module } from "./_modules.js";
import type { MaxPoolGradExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";
import { poolGeometry } from "./_conv_geometry.ts";

/** dX at each window's first maximum of X receives the window's dY (NHWC). */
function maxPoolGrad(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
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
  );
  return out;
}

/** The kernel's registration record. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: "wasm",
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
