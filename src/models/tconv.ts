/**
 * The transposed-convolution autoencoder of seed 004: four conv blocks
 * (Conv k4 s2 p1 + BatchNorm + ReLU) take 28x28 to 1x1, a linear layer to the
 * code (16, or 2 to explore the latent plane); the decoder maps the code
 * linearly to 4x4 maps, two transposed-conv blocks (k3 s2 p1, BatchNorm +
 * ReLU) and a last transposed conv to a sigmoid image. AdamW (PyTorch's
 * default weight decay 0.01), MSE. The seed's 128/256/512/1024 channels are
 * `--width 128`; the default is narrower so that an epoch takes minutes on
 * a CPU.
 *
 * ```ts
 * import { tconv } from "./tconv.ts";
 * const ae = tconv.build({ latentDim: 16, seed: 0, width: 16 });
 * ```
 *
 * @module
 */
import { tfl } from "../deps.ts";
import type { Autoencoder, BuildOptions, ModelSpec } from "./model.ts";
import { initLikeTorch } from "./_torch_init.ts";
import { chained, dropoutAfter } from "./_layers.ts";
import { batchNorm } from "./_batch_norm.ts";

const L = tfl.layers;
const DEFAULT_WIDTH = 16;

function build({ latentDim, seed, dropout = 0, width = DEFAULT_WIDTH }: BuildOptions): Autoencoder {
  const channels = [width, 2 * width, 4 * width, 8 * width];
  const encoder = tfl.sequential({
    name: "encoder",
    layers: [
      // PyTorch's padding=1 with k4 s2 (28 -> 14 -> 7 -> 3 -> 1): pad, then a valid conv.
      ...channels.flatMap((filters, i) => [
        L.zeroPadding2d({
          name: `enc_pad${i + 1}`,
          padding: 1,
          ...(i === 0 && { inputShape: [28, 28, 1] }),
        }),
        L.conv2d({ name: `enc_conv${i + 1}`, filters, kernelSize: 4, strides: 2 }),
        batchNorm(`enc_bn${i + 1}`),
        L.reLU({ name: `enc_act${i + 1}` }),
        ...dropoutAfter(`enc_act${i + 1}`, dropout),
      ]),
      L.flatten({ name: "enc_flatten" }),
      L.dense({ name: "enc_fc", units: latentDim }),
    ],
  });
  // PyTorch's ConvTranspose k3 s2 p1 (output_padding op) is the valid one with
  // 1 row/column cropped before and 1 - op after: 4 -> 7 -> 14 -> 28.
  const up = (i: number, filters: number, outputPadding: number) => [
    L.conv2dTranspose({ name: `dec_convT${i}`, filters, kernelSize: 3, strides: 2 }),
    L.cropping2D({
      name: `dec_crop${i}`,
      cropping: [[1, 1 - outputPadding], [1, 1 - outputPadding]],
    }),
  ];
  const decoder = tfl.sequential({
    name: "decoder",
    layers: [
      L.dense({ name: "dec_fc", inputShape: [latentDim], units: channels[3] * 16 }),
      L.reshape({ name: "dec_unflatten", targetShape: [4, 4, channels[3]] }),
      ...[[channels[2], 0], [channels[1], 1]].flatMap(([filters, op], i) => [
        ...up(i + 1, filters, op),
        batchNorm(`dec_bn${i + 1}`),
        L.reLU({ name: `dec_act${i + 1}` }),
        ...dropoutAfter(`dec_act${i + 1}`, dropout),
      ]),
      ...up(3, 1, 1),
      L.activation({ name: "dec_sigmoid", activation: "sigmoid" }),
    ],
  });
  initLikeTorch([encoder, decoder], seed);
  return {
    encoder,
    decoder,
    ...chained("tconv_autoencoder", encoder, decoder),
    inputShape: [28, 28, 1],
  };
}

/** Seed 004's transposed-convolution autoencoder. */
export const tconv: ModelSpec = {
  name: "tconv",
  title:
    "transposed-conv AE: 4 conv blocks + BatchNorm -> linear code 16 -> 4x4 maps -> ConvTranspose blocks -> sigmoid (seed 004)",
  source: "004",
  defaults: {
    epochs: 10,
    batchSize: 128,
    lr: 1e-3,
    loss: "mse",
    optimizer: "adamw",
    weightDecay: 0.01,
    latentDim: 16,
    scale: "unit",
  },
  options: [{
    key: "width",
    type: "integer",
    min: 1,
    default: DEFAULT_WIDTH,
    help: "channels of the first conv block, doubling after (seed: 128)",
  }],
  build,
};
