/**
 * `Conv2DBackpropFilter` for tfjs-backend-wasm, which ships without it (tfjs
 * issue 8474): an im2col product in WASM-SIMD (asm/conv2d_backprop_filter.ts).
 * @module
 */
import { tf } from "../../deps.ts";
import { conv2dBackpropFilter as module } from "./_modules.js";
import type { Conv2dBackpropFilterExports } from "./_exports.ts";
import { address, onHeap, output, workspace } from "./_heap.ts";
import { convGeometry } from "./_conv_geometry.ts";

/** dW[fr, fc, d1, d2] = sum over b, y, x of X[b, y*sh+fr-pt, x*sw+fc-pl, d1] * dY[b, y, x, d2] (NHWC). */
function conv2dBackpropFilter(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const { filterShape } = attrs;
  const geometry = convGeometry(tf.Conv2DBackpropFilter, x.shape, filterShape, attrs);
  const k = onHeap<Conv2dBackpropFilterExports>(module, args.backend);
  const [fh, fw, ci, co] = filterShape;
  const work = workspace(args.backend, k.conv2dBackpropFilterWork(fh * fw * ci, co));
  const [out, dw] = output(args.backend, [...filterShape]);
  k.conv2dBackpropFilter(
    address(args.backend, x),
    address(args.backend, dy),
    dw,
    work,
    ...geometry,
  );
  return out;
}

/** The kernel's registration record. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
