/**
 * `Conv2DBackpropInput` for tfjs-backend-wasm (the input gradient of a
 * convolution and the forward pass of a transposed one), replacing the stock
 * direct loop with a WASM-SIMD product and col2im (asm/conv2d_backprop_input.ts).
 * @module
 */
import { tf } from "../../deps.ts";
import * as kernel from "../../../asm/conv2d_backprop_input.wasm";
import { type WasmBackend, withOutput } from "./_wasm_backend.ts";
import { stage, unstage } from "./_asm_kernel.ts";
import { convGeometry } from "./_conv_geometry.ts";

/** dX[b, y*sh+fr-pt, x*sw+fc-pl, d1] += dY[b, y, x, d2] * W[fr, fc, d1, d2] (NHWC). */
function conv2dBackpropInput(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = args
    .attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const geometry = convGeometry(
    tf.Conv2DBackpropInput,
    [...inputShape],
    filter.shape,
    { strides, pad, dataFormat, dimRoundingMode },
  );
  const { out, outView, views } = withOutput(args.backend as WasmBackend, [...inputShape], [
    dy,
    filter,
  ]);
  const [pdy, pw, pdx] = stage(kernel, tf.Conv2DBackpropInput, views, outView.length);
  const ok = kernel.conv2dBackpropInput(pdy, pw, pdx, ...geometry);
  unstage(kernel, tf.Conv2DBackpropInput, ok, pdx, outView);
  return out;
}

/** The kernel's registration record. */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: "wasm",
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
