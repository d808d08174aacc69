/**
 * `Conv2DBackpropFilter` for tfjs-backend-wasm, which ships without it (tfjs
 * issue 8474): an im2col product in WASM-SIMD (asm/conv2d_backprop_filter.ts).
 * @module
 */
import { tf } from "../../deps.ts";
import * as kernel from "../../../asm/conv2d_backprop_filter.wasm";
import { type WasmBackend, withOutput } from "./_wasm_backend.ts";
import { stage, unstage } from "./_asm_kernel.ts";
import { convGeometry } from "./_conv_geometry.ts";

/** dW[fr, fc, d1, d2] = sum over b, y, x of X[b, y*sh+fr-pt, x*sw+fc-pl, d1] * dY[b, y, x, d2] (NHWC). */
function conv2dBackpropFilter(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args
    .attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const geometry = convGeometry(
    tf.Conv2DBackpropFilter,
    x.shape,
    filterShape,
    { strides, pad, dataFormat, dimRoundingMode },
  );
  const { out, outView, views } = withOutput(args.backend as WasmBackend, [...filterShape], [
    x,
    dy,
  ]);
  const [px, pdy, pdw] = stage(kernel, tf.Conv2DBackpropFilter, views, outView.length);
  const ok = kernel.conv2dBackpropFilter(px, pdy, pdw, ...geometry);
  unstage(kernel, tf.Conv2DBackpropFilter, ok, pdw, outView);
  return out;
}

/** The kernel's registration record. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
