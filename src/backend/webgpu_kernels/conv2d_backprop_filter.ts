/**
 * Conv2DBackpropFilter on WebGPU as one matrix product: the input's patches
 * (im2col, from one strided slice per filter tap) transposed, times the
 * output gradient. tfjs-backend-webgpu 4.22 runs a naive shader with one
 * thread per weight that loops over the whole batch: 144 threads for the conv
 * AE's first layer, each summing 100,352 products. The product runs as tfjs's
 * own matrix multiply (split along K when the output is small) instead.
 * Channels-first convolutions go to the stock kernel.
 *
 * ```ts
 * import { tf } from "../../deps.ts";
 * import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
 * const stock = tf.getKernel(tf.Conv2DBackpropFilter, "webgpu");
 * if (stock) tf.registerKernel(conv2dBackpropFilterConfig(stock));
 * ```
 *
 * @module
 */
import { tf } from "../../deps.ts";

/**
 * The kernel, handing what it does not cover to `stock`.
 *
 * @example
 * ```ts
 * import { tf } from "../../deps.ts";
 * const stock = tf.getKernel(tf.Conv2DBackpropFilter, "webgpu");
 * if (stock) tf.registerKernel(conv2dBackpropFilterConfig(stock));
 * ```
 */
export function conv2dBackpropFilterConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: "webgpu",
    kernelFunc: (args) => {
      const { x, dy } = args.inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
      const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
      if (attrs.dataFormat === "NCHW") return stock.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(
        x.shape,
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
      );
      return filterGradient(x, dy, info);
    },
  };
}

/** dW[r, c, i, o] = sum over b, y, x of padded[b, y * sh + r, x * sw + c, i] * dy[b, y, x, o]. */
function filterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  info: tf.backend_util.Conv2DInfo,
): tf.Tensor4D {
  const { batchSize, inChannels, outChannels, outHeight, outWidth, padInfo: pad } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  return tf.tidy(() => {
    const padded = tf.pad(x, [[0, 0], [pad.top, pad.bottom], [pad.left, pad.right], [0, 0]]);
    const taps: tf.Tensor[] = [];
    for (let r = 0; r < filterHeight; r++) {
      for (let c = 0; c < filterWidth; c++) {
        const end = [r + (outHeight - 1) * strideHeight + 1, c + (outWidth - 1) * strideWidth + 1];
        taps.push(tf.stridedSlice(padded, [0, r, c, 0], [batchSize, ...end, inChannels], [
          1,
          strideHeight,
          strideWidth,
          1,
        ]));
      }
    }
    const rows = batchSize * outHeight * outWidth;
    const patches = tf.reshape(taps.length === 1 ? taps[0] : tf.concat(taps, 3), [rows, -1]);
    const product = tf.matMul(patches, tf.reshape(dy, [rows, outChannels]), true, false);
    return tf.reshape(product, [filterHeight, filterWidth, inChannels, outChannels]);
  });
}
