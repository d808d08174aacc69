/**
 * `MaxPoolGrad` for tfjs-backend-wasm, four channels per WASM-SIMD lane group
 * (asm/max_pool_grad.ts), replacing the stock scalar loop.
 * @module
 */
import { tf } from "../../deps.ts";
import * as kernel from "../../../asm/max_pool_grad.wasm";
import { type WasmBackend, withOutput } from "./_wasm_backend.ts";
import { stage, unstage } from "./_asm_kernel.ts";

/** dX at each window's first maximum of X receives the window's dY (NHWC). */
function maxPoolGrad(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args
    .attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { out, outView, views } = withOutput(args.backend as WasmBackend, [...input.shape], [
    input,
    dy,
  ]);
  const [px, pdy, pdx] = stage(kernel, tf.MaxPoolGrad, views, outView.length);
  kernel.maxPoolGrad(
    px,
    pdy,
    pdx,
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
  unstage(kernel, tf.MaxPoolGrad, 1, pdx, outView);
  return out;
}

/** The kernel's registration record. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: "wasm",
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
