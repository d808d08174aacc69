/**
 * `MaxPool` for tfjs-backend-wasm on 2x2 windows at stride 2 that tile the
 * input (asm/max_pool.ts); any other pooling goes to the stock kernel.
 * @module
 */
import type { tf } from "../../deps.ts";
import { address, output } from "./_heap.ts";
import { runRanges } from "../kernel_threads.ts";
import { poolGeometry } from "./_conv_geometry.ts";

/** `MaxPool`: ours for exactly tiling 2x2 windows on float32 with whole vectors of channels. */
export function maxPoolConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) => {
      const { x } = args.inputs as { x: tf.TensorInfo };
      const info = poolGeometry(x.shape, args.attrs as unknown as tf.MaxPoolAttrs);
      const tiles = info.filterHeight === 2 && info.filterWidth === 2 &&
        info.strideHeight === 2 && info.strideWidth === 2 &&
        info.padInfo.top === 0 && info.padInfo.left === 0 &&
        info.outHeight * 2 === info.inHeight && info.outWidth * 2 === info.inWidth;
      if (!tiles || x.dtype !== "float32" || info.inChannels % 4 !== 0) {
        return stock.kernelFunc(args);
      }
      const { backend } = args;
      const [out, y] = output(backend, [
        info.batchSize,
        info.outHeight,
        info.outWidth,
        info.inChannels,
      ]);
      const [px, c, ow] = [address(backend, x), info.inChannels, info.outWidth];
      // Output rows are independent (two input rows each): kernel threads take a range each.
      const [inRow, outRow] = [info.inWidth * c * 4, ow * c * 4];
      runRanges(backend, {
        module: "maxPool",
        fn: "maxPool2x2",
        size: info.batchSize * info.outHeight,
        unit: 1,
        elements: info.batchSize * info.inHeight * info.inWidth * c,
        args: (from, rows) => [px + from * 2 * inRow, y + from * outRow, rows, ow, c],
      });
      return out;
    },
  };
}
