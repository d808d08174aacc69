/**
 * The convolutional autoencoder of seed 000: two conv + max-pool stages to a
 * 64-d ReLU code, a dense layer back to 32x7x7, and two stride-2 transposed
 * convolutions to a sigmoid image. BCE, Adam 1e-3, batch 128.
 *
 * Any HxWxC image of 8x8 and up (grey or RGB) goes through by pad and crop:
 * the two pools halve the sides twice, so an image whose sides are not
 * multiples of 4 is zero-padded around (half before, half after) to the
 * next multiples, and the decoder's output (C channels, sigmoid; linear
 * for unbounded inputs) is cropped by as much, so it is exactly HxWxC.
 * 28x28 needs neither, and is the seed's network layer for layer.
 *
 * ```ts
 * import { conv } from "./conv.ts";
 * const ae = conv.build({ latentDim: 64, seed: 0 });
 * const rgb = conv.build({ latentDim: 64, seed: 0, inputShape: [30, 30, 3] }); // padded to 32x32
 * ```
 *
 * @module
 */
import { tfl } from "../deps.ts";
import type { Autoencoder, BuildOptions, ModelSpec } from "./model.ts";
import { initLikeTorch } from "./_torch_init.ts";
import { chained, dropoutAfter } from "./_layers.ts";
import { checkInputShape, lastActivation, MNIST_SHAPE, notAnImage } from "./_shape.ts";

/** The pools' total downsampling: padded sides are multiples of it. */
const STRIDE = 4;

/** [before, after] zero rows (or columns) that bring `side` to a multiple of 4. */
function padding(side: number): [number, number] {
  const total = (STRIDE - (side % STRIDE)) % STRIDE;
  return [Math.floor(total / 2), Math.ceil(total / 2)];
}

function build(options: BuildOptions): Autoencoder {
  const { latentDim, seed, dropout = 0, inputShape = MNIST_SHAPE, unbounded } = options;
  const [h, w, c] = checkInputShape(conv, inputShape);
  const pad: [[number, number], [number, number]] = [padding(h), padding(w)];
  const padded = pad.some(([a, b]) => a + b > 0);
  const [gh, gw] = [(h + pad[0][0] + pad[0][1]) / STRIDE, (w + pad[1][0] + pad[1][1]) / STRIDE];
  const L = tfl.layers;
  const encoder = tfl.sequential({
    name: "encoder",
    layers: [
      ...(padded
        ? [L.zeroPadding2d({ name: "enc_pad", inputShape: [h, w, c], padding: pad })]
        : []),
      L.conv2d({
        name: "enc_conv1",
        ...(!padded && { inputShape: [h, w, c] }),
        filters: 16,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
      }),
      L.maxPooling2d({ name: "enc_pool1", poolSize: 2, strides: 2 }),
      ...dropoutAfter("enc_pool1", dropout),
      L.conv2d({
        name: "enc_conv2",
        filters: 32,
        kernelSize: 3,
        padding: "same",
        activation: "relu",
      }),
      L.maxPooling2d({ name: "enc_pool2", poolSize: 2, strides: 2 }),
      ...dropoutAfter("enc_pool2", dropout),
      L.flatten({ name: "enc_flatten" }),
      L.dense({ name: "enc_fc", units: latentDim, activation: "relu" }),
    ],
  });
  const decoder = tfl.sequential({
    name: "decoder",
    layers: [
      L.dense({ name: "dec_fc", inputShape: [latentDim], units: 32 * gh * gw, activation: "relu" }),
      ...dropoutAfter("dec_fc", dropout),
      L.reshape({ name: "dec_unflatten", targetShape: [gh, gw, 32] }),
      L.conv2dTranspose({
        name: "dec_convT1",
        filters: 16,
        kernelSize: 2,
        strides: 2,
        activation: "relu",
      }),
      ...dropoutAfter("dec_convT1", dropout),
      L.conv2dTranspose({
        name: "dec_convT2",
        filters: c,
        kernelSize: 2,
        strides: 2,
        activation: lastActivation("sigmoid", unbounded),
      }),
      ...(padded ? [L.cropping2D({ name: "dec_crop", cropping: pad })] : []),
    ],
  });
  initLikeTorch([encoder, decoder], seed);
  return {
    encoder,
    decoder,
    ...chained("conv_autoencoder", encoder, decoder),
    inputShape: [h, w, c],
  };
}

/** Seed 000's convolutional autoencoder. */
export const conv: ModelSpec = {
  name: "conv",
  title: "convolutional AE: Conv 16/32 + MaxPool -> 64-d code -> ConvTranspose (seed 000)",
  source: "000",
  defaults: {
    epochs: 10,
    batchSize: 128,
    lr: 1e-3,
    loss: "bce",
    optimizer: "adam",
    weightDecay: 0,
    latentDim: 64,
    scale: "unit",
  },
  accepts: "HxWxC images of 8x8 and up (grey or RGB; sides padded to multiples of 4, then cropped)",
  refuses: (shape) => notAnImage(shape, 8),
  build,
};
