/**
 * `Conv2DBackpropInput` for tfjs-backend-wasm (the input gradient of a
 * convolution and the forward pass of a transposed one), replacing the stock
 * direct loop: with stride 1 it is itself a convolution (asm/conv2d.ts, with
 * the filter turned), otherwise a WASM-SIMD product and col2im
 * (asm/conv2d_backprop_input.ts).
 * @module
 */
import { tf } from "../../deps.ts";
import { conv2d as stride1, conv2dBackpropInput as module } from "./_modules.js";
import { address, onHeap, output } from "./_heap.ts";
import type { Conv2dBackpropInputExports, Conv2dExports } from "./_exports.ts";
import { convGeometry, imageBytes } from "./_conv_geometry.ts";
import { runRanges } from "../kernel_threads.ts";

/** dX[b, y*sh+fr-pt, x*sw+fc-pl, d1] += dY[b, y, x, d2] * W[fr, fc, d1, d2] (NHWC). */
function conv2dBackpropInput(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const { inputShape } = attrs;
  const geometry = convGeometry(tf.Conv2DBackpropInput, [...inputShape], filter.shape, attrs);
  const [fh, fw, ci, co] = filter.shape;
  const { backend } = args;
  const [out, dx] = output(backend, [...inputShape]);
  const [sh, sw, pt, pl] = geometry.slice(9);
  const [batch, , , , oh, ow] = geometry;
  const [pdy, pw] = [address(backend, dy), address(backend, filter)];
  // dX's bytes per image, dY's: the convolution's input and output.
  const [dxBytes, dyBytes] = imageBytes(geometry);
  const images = { size: batch, unit: 1, elements: batch * oh * ow * co * fh * fw * ci };
  // An image's dX takes only its own dY: kernel threads take a range of images each.
  if (sh === 1 && sw === 1) {
    const k = onHeap<Conv2dExports>(stride1, backend);
    const dims = geometry.slice(1, 7);
    runRanges(backend, {
      module: "conv2d",
      fn: "conv2dBackpropInput",
      ...images,
      work: { at: 3, bytes: k.conv2dBackpropInputWork(fh * fw * ci, co, ci) },
      args: (from, count) => [
        pdy + from * dyBytes,
        pw,
        dx + from * dxBytes,
        0,
        count,
        ...dims,
        fh,
        fw,
        pt,
        pl,
      ],
    });
  } else {
    const k = onHeap<Conv2dBackpropInputExports>(module, backend);
    runRanges(backend, {
      module: "conv2dBackpropInput",
      fn: "conv2dBackpropInput",
      ...images,
      work: { at: 3, bytes: k.conv2dBackpropInputWork(fh * fw * ci, co) },
      args: (from, count) => [
        pdy + from * dyBytes,
        pw,
        dx + from * dxBytes,
        0,
        count,
        ...geometry.slice(1),
      ],
    });
  }
  return out;
}

/** The kernel's registration record. */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: "wasm",
  kernelFunc: conv2dBackpropInput as unknown as tf.KernelFunc,
};
