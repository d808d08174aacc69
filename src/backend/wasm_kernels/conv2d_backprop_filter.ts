/**
 * `Conv2DBackpropFilter` for tfjs-backend-wasm, which ships without it (tfjs
 * issue 8474): an im2col product in WASM-SIMD (asm/conv2d_backprop_filter.ts), or for a 3x3
 * filter at stride 1 Winograd's transforms (asm/_winograd.ts).
 * @module
 */
import { tf } from "../../deps.ts";
import { conv2dBackpropFilter as module } from "./_modules.js";
import type { Conv2dBackpropFilterExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";
import { runJob, runRanges, threadCount } from "../kernel_threads.ts";
import { convGeometry } from "./_conv_geometry.ts";

/**
 * The fewest output pixels a part of the filter gradient's sum takes: small enough that the conv
 * AE's transposed 2x2 convolution (128 images of 7x7 pixels) sums in four parts, which threads
 * take one each. In one part (at 4096 before), its threads split the columns and each built the
 * whole im2col matrix: the step on 2 threads ran 2 % slower (median; 0.96-1.03x in three runs
 * of both values alternated in one process, session 16).
 */
const PART_PIXELS = 1568;
/** The most parts the sum is cut into. */
const MAX_PARTS = 4;

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
  const pixels = batch * oh * ow;
  const taps = fh * fw * ci;
  // The sum over pixels in parts of PART_PIXELS or more (at most MAX_PARTS), fixed by the batch's
  // size alone: part 0 goes to dW, the others to `partial`, added to it in order at the end. Each
  // part is further split by panels of 8 output channels when there are more threads than parts.
  // Parts take whole images, which the kernel's Winograd path needs (its blocks are 2x2 pixels of
  // one image), so a batch has at most as many parts as images.
  const parts = Math.max(1, Math.min(MAX_PARTS, batch, Math.floor(pixels / PART_PIXELS)));
  const panels = Math.ceil(co / 8);
  const columnSplits = Math.max(1, Math.min(panels, Math.ceil(threadCount(backend) / parts)));
  const [partial, pPartial] = parts > 1 ? output(backend, [parts - 1, taps, co]) : [undefined, 0];
  const column = (c: number) => Math.min(co, Math.round((c * panels) / columnSplits) * 8);
  runJob(backend, {
    module: "conv2dBackpropFilter",
    fn: "conv2dBackpropFilter",
    chunks: parts * columnSplits,
    work: { at: 3, bytes: k.conv2dBackpropFilterWork(taps, co) },
    args: (chunk) => {
      const [part, c] = [Math.floor(chunk / columnSplits), chunk % columnSplits];
      const into = part === 0 ? dw : pPartial + (part - 1) * taps * co * 4;
      const [q0, q1] = [part, part + 1].map((q) => Math.round((q * batch) / parts) * oh * ow);
      return [px, pdy, into, 0, ...geometry, column(c), column(c + 1), q0, q1];
    },
  });
  if (partial) {
    runRanges(backend, {
      module: "conv2dBackpropFilter",
      fn: "addParts",
      size: taps * co,
      args: (from, count) => [dw, pPartial, parts - 1, taps * co, from, count],
    });
    (backend as tf.KernelBackend).disposeData(partial.dataId);
  }
  return out;
}

/** The kernel's registration record. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
