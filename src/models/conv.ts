/**
 * The convolutional autoencoder of seed 000: two conv + max-pool stages to a
 * 64-d ReLU code, a dense layer back to 32x7x7, and two stride-2 transposed
 * convolutions to a sigmoid image. BCE, Adam 1e-3, batch 128.
 *
 * ```ts
 * import { conv } from "./conv.ts";
 * const ae = conv.build({ latentDim: 64, seed: 0 });
 * ```
 *
 * @module
 */
import { tfl } from "../deps.ts";
import type { Autoencoder, BuildOptions, ModelSpec } from "./model.ts";
import { initLikeTorch } from "./_torch_init.ts";
import { chained, dropoutAfter } from "./_layers.ts";

function build({ latentDim, seed, dropout = 0 }: BuildOptions): Autoencoder {
  const L = tfl.layers;
  const encoder = tfl.sequential({
    name: "encoder",
    layers: [
      L.conv2d({
        name: "enc_conv1",
        inputShape: [28, 28, 1],
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
      L.dense({ name: "dec_fc", inputShape: [latentDim], units: 32 * 7 * 7, activation: "relu" }),
      ...dropoutAfter("dec_fc", dropout),
      L.reshape({ name: "dec_unflatten", targetShape: [7, 7, 32] }),
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
        filters: 1,
        kernelSize: 2,
        strides: 2,
        activation: "sigmoid",
      }),
    ],
  });
  initLikeTorch([encoder, decoder], seed);
  return {
    encoder,
    decoder,
    ...chained("conv_autoencoder", encoder, decoder),
    inputShape: [28, 28, 1],
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
  build,
};
