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
 * Other sizes: HxWxC images (grey or RGB) with sides of 16 pixels and up,
 * which the four stride-2 blocks bring to at least 1x1. The decoder's
 * starting maps and each transposed block's output padding are computed
 * back from the input's size (a side n comes from ceil(n/2): output padding
 * 1 for an even n, 0 for an odd one), so its output is exactly HxWxC; for
 * 28x28 this is the seed's 4 -> 7 -> 14 -> 28. Smaller images and tables
 * are refused before any data is loaded when the shape is known then.
 *
 * ```ts
 * import { tconv } from "./tconv.ts";
 * const ae = tconv.build({ latentDim: 16, seed: 0, width: 16 });
 * const rgb = tconv.build({ latentDim: 16, seed: 0, width: 8, inputShape: [32, 32, 3] });
 * ```
 *
 * @module
 */
import { tfl } from "../deps.ts";
import type { Autoencoder, BuildOptions, ModelSpec } from "./model.ts";
import { initLikeTorch } from "./_torch_init.ts";
import { chained, dropoutAfter } from "./_layers.ts";
import { batchNorm } from "./_batch_norm.ts";
import { checkInputShape, MNIST_SHAPE, notAnImage } from "./_shape.ts";

const L = tfl.layers;
const DEFAULT_WIDTH = 16;

/** The sides a side `n` is rebuilt from by the three transposed blocks: [start, after 1, after 2, n]. */
function upChain(n: number): number[] {
  const chain = [n];
  for (let i = 0; i < 3; i++) chain.unshift(Math.ceil(chain[0] / 2));
  return chain;
}

function build(options: BuildOptions): Autoencoder {
  const { latentDim, seed, dropout = 0, width = DEFAULT_WIDTH } = options;
  const { inputShape = MNIST_SHAPE, unbounded } = options;
  const [h, w, c] = checkInputShape(tconv, inputShape);
  const [rows, cols] = [upChain(h), upChain(w)];
  const channels = [width, 2 * width, 4 * width, 8 * width];
  const encoder = tfl.sequential({
    name: "encoder",
    layers: [
      // PyTorch's padding=1 with k4 s2 (28 -> 14 -> 7 -> 3 -> 1): pad, then a valid conv.
      ...channels.flatMap((filters, i) => [
        L.zeroPadding2d({
          name: `enc_pad${i + 1}`,
          padding: 1,
          ...(i === 0 && { inputShape: [h, w, c] }),
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
  // 1 row/column cropped before and 1 - op after: n -> 2n - 1 + op (28: 4 -> 7 -> 14 -> 28).
  const up = (i: number, filters: number) => {
    const after = (chain: number[]) => 2 * chain[i - 1] - chain[i]; // 1 - op
    return [
      L.conv2dTranspose({ name: `dec_convT${i}`, filters, kernelSize: 3, strides: 2 }),
      L.cropping2D({ name: `dec_crop${i}`, cropping: [[1, after(rows)], [1, after(cols)]] }),
    ];
  };
  const decoder = tfl.sequential({
    name: "decoder",
    layers: [
      L.dense({ name: "dec_fc", inputShape: [latentDim], units: channels[3] * rows[0] * cols[0] }),
      L.reshape({ name: "dec_unflatten", targetShape: [rows[0], cols[0], channels[3]] }),
      ...[channels[2], channels[1]].flatMap((filters, i) => [
        ...up(i + 1, filters),
        batchNorm(`dec_bn${i + 1}`),
        L.reLU({ name: `dec_act${i + 1}` }),
        ...dropoutAfter(`dec_act${i + 1}`, dropout),
      ]),
      ...up(3, c),
      ...(unbounded ? [] : [L.activation({ name: "dec_sigmoid", activation: "sigmoid" })]),
    ],
  });
  initLikeTorch([encoder, decoder], seed);
  return {
    encoder,
    decoder,
    ...chained("tconv_autoencoder", encoder, decoder),
    inputShape: [h, w, c],
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
  accepts: "HxWxC images of 16x16 and up (grey or RGB)",
  refuses: (shape) => notAnImage(shape, 16),
  build,
};
