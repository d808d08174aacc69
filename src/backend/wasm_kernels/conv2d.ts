/**
 * `Conv2D` and `FusedConv2D` for tfjs-backend-wasm: a WASM-SIMD convolution
 * that packs four output pixels' taps at a time for the matrix-product tile
 * (asm/conv2d.ts), in place of the stock XNNPACK one. NHWC with dilation 1, and for the fused
 * kernel a per-channel bias with a linear or ReLU activation; anything else
 * goes to the stock kernel.
 * @module
 */
import { tf } from "../../deps.ts";
import { conv2d as module } from "./_modules.js";
import type { Conv2dExports } from "./_exports.ts";
import { address, onHeap, output } from "./_heap.ts";
import { convGeometry, imageBytes } from "./_conv_geometry.ts";
import { runRanges } from "../kernel_threads.ts";

type KernelArgs = Parameters<tf.KernelFunc>[0];

/** Whether our kernel covers a convolution with these attributes. */
function covered(attrs: tf.Conv2DAttrs, x: tf.TensorInfo): boolean {
  const d = attrs.dilations;
  const dilated = Array.isArray(d) ? d[0] !== 1 || d[1] !== 1 : d !== 1;
  return !dilated && attrs.dataFormat !== "NCHW" && x.dtype === "float32";
}

/** Y = act(conv(X, W) + bias) through asm/conv2d.ts. */
function convolve(
  args: KernelArgs,
  bias: tf.TensorInfo | undefined,
  relu: boolean,
): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as tf.Conv2DAttrs;
  const geometry = convGeometry(tf.Conv2D, x.shape, filter.shape, attrs);
  const [batch, , , , oh, ow, co, fh, fw] = geometry;
  const ci = filter.shape[2];
  const { backend } = args;
  const k = onHeap<Conv2dExports>(module, backend);
  const [out, y] = output(backend, [batch, oh, ow, co]);
  const [px, pw] = [address(backend, x), address(backend, filter)];
  const pBias = bias ? address(backend, bias) : 0;
  const [inBytes, outBytes] = imageBytes(geometry);
  // Images are independent: kernel threads take a range of them each.
  runRanges(backend, {
    module: "conv2d",
    fn: "conv2d",
    size: batch,
    unit: 1,
    elements: batch * oh * ow * co * fh * fw * ci,
    work: { at: 4, bytes: k.conv2dWork(fh * fw * ci, co, ci) },
    args: (from, count) => [
      px + from * inBytes,
      pw,
      pBias,
      y + from * outBytes,
      0,
      count,
      ...geometry.slice(1),
      +relu,
    ],
  });
  return out;
}

/** `Conv2D`: ours for NHWC float32 with dilation 1, else the stock kernel. */
export function conv2dConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      return covered(args.attrs as unknown as tf.Conv2DAttrs, x)
        ? convolve(args, undefined, false)
        : stock.kernelFunc(args);
    },
  };
}

/** `FusedConv2D`: ours for a per-channel bias with a linear or ReLU activation, else the stock kernel. */
export function fusedConv2dConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const { x, filter, bias, preluActivationWeights } = args.inputs as {
        x: tf.TensorInfo;
        filter: tf.TensorInfo;
        bias?: tf.TensorInfo;
        preluActivationWeights?: tf.TensorInfo;
      };
      const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
      const co = filter.shape[3];
      const ours = covered(attrs, x) && !preluActivationWeights &&
        (attrs.activation === "linear" || attrs.activation === "relu") &&
        (!bias || (bias.shape.length === 1 && bias.shape[0] === co));
      return ours ? convolve(args, bias, attrs.activation === "relu") : stock.kernelFunc(args);
    },
  };
}
