/**
 * `Conv2DBackpropFilter` for tfjs-backend-wasm, which ships without it (tfjs
 * issue 8474), so that conv models train on the wasm backend.
 * @module
 */
import { tf } from "../../deps.ts";
import { type WasmBackend, withOutput } from "./_wasm_backend.ts";

/** dW[fr, fc, d1, d2] = sum over b, y, x of X[b, y*sh+fr-pt, x*sw+fc-pl, d1] * dY[b, y, x, d2] (NHWC). */
function conv2dBackpropFilter(
  args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap },
): tf.TensorInfo {
  const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args
    .attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
  if (info.dataFormat !== "channelsLast") {
    throw new Error("Conv2DBackpropFilter on wasm: only NHWC (channelsLast) is supported");
  }
  const { out, outView: dw, views: [xs, dys] } = withOutput(
    args.backend as WasmBackend,
    [...filterShape],
    [x, dy],
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top: pt, left: pl } = info.padInfo;
  dw.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++) {
        const dyOff = ((b * outHeight + yr) * outWidth + yc) * outChannels;
        for (let fr = 0; fr < fh; fr++) {
          const xr = yr * sh + fr - pt;
          if (xr < 0 || xr >= inHeight) continue;
          for (let fc = 0; fc < fw; fc++) {
            const xc = yc * sw + fc - pl;
            if (xc < 0 || xc >= inWidth) continue;
            const xOff = ((b * inHeight + xr) * inWidth + xc) * inChannels;
            const wOff = (fr * fw + fc) * inChannels * outChannels;
            for (let d1 = 0; d1 < inChannels; d1++) {
              const xv = xs[xOff + d1];
              if (xv === 0) continue;
              const w = wOff + d1 * outChannels;
              for (let d2 = 0; d2 < outChannels; d2++) dw[w + d2] += xv * dys[dyOff + d2];
            }
          }
        }
      }
    }
  }
  return out;
}

/** The kernel's registration record. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter as unknown as tf.KernelFunc,
};
