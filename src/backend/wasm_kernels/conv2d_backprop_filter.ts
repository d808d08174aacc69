/**
 * `Conv2DBackpropFilter` for tfjs-backend-wasm, which ships without it (tfjs
 * issue 8474): an im2col product in WASM-SIMD (asm/conv2d_backprop_filter.ts).
 * @module
 */
import { tf } from "../../deps.ts";
import { conv2dBackpropFilter as module } from "./_modules.js";
import type { Conv2dBackpropFilterExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";
import { runRanges } from "../kernel_threads.ts";
import { convGeometry } from "./_conv_geometry.ts";

/** dW[fr, fc, d1, d2] = sum over b, y, x of X[b, y*sh+fr-pt, x*sw+fc-pl, d1] * dY[b, y, x, d2] (NHWC). */
function conv2dBackpropFilter(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const { filterShape } = attrs;
  const geometry = convGeometry(tf.Conv2DBackpropFilter, x.shape, filterShape, attrs);
  const { backend } = args;
  const k = onHeap<Conv2dBackpropFilterExports>(module, backend);
  const [fh, fw, ci, co] = filterShape;
  const [out, dw] = output(backend, [...filterShape]);
  const [px, pdy] = [address(backend, x), address(backend, dy)];
  const [batch, , , , oh, ow] = geometry;
  // A sum over every image: kernel threads take whole panels of 8 output channels each.
  runRanges(backend, {
    module: "conv2dBackpropFilter",
    fn: "conv2dBackpropFilter",
    size: co,
    unit: 8,
    elements: batch * oh * ow * co * fh * fw * ci,
    work: { at: 3, bytes: k.conv2dBackpropFilterWork(fh * fw * ci, co) },
    args: (from, count) => [px, pdy, dw, 0, ...geometry, from, from + count],
  });
  return out;
}

/** The kernel's registration record. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
