/**
 * The deep convolutional autoencoder of seed 003: four bias-free Conv2d +
 * BatchNorm + LeakyReLU(0.2) stages take 1x28x28 to a 6x2x2 = 24-d code, four
 * ConvTranspose + BatchNorm (+ ReLU) stages bring it back; L1 loss, Adam
 * 5e-4, batch 100. The code size is fixed by the architecture.
 *
 * Its convolutions are unpadded (k2 s1, k3 s2, k3 s2, k4 s2) and the
 * transposed ones mirror them, which gives back the input's size exactly
 * only for sides of 8k + 12 pixels (20, 28, 36, 44, ...; side 8k + 12 ends
 * as k x k maps): those it takes, with any number of channels, and its code
 * is 6 x kH x kW numbers (24 for 28x28). Other sizes are refused before any
 * data is loaded when the shape is known then; resize them (`--image-size`)
 * or use `conv` or `tconv`, which take other sizes.
 *
 * ```ts
 * import { deepconv } from "./deepconv.ts";
 * const ae = deepconv.build({ latentDim: 24, seed: 0 });
 * const rgb = deepconv.build({ latentDim: 6 * 3 * 3, seed: 0, inputShape: [36, 36, 3] });
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
const CODE_SIZE = 24;
const WHY_24 = "6x2x2 = 24 numbers for 28x28 by construction (6 x (H - 12)/8 x (W - 12)/8 for HxW)";

/** The side of the code's maps for an input side, when the side round-trips (8k + 12). */
function codeSide(side: number): number | undefined {
  return side >= 20 && (side - 12) % 8 === 0 ? (side - 12) / 8 : undefined;
}

function refuses(shape: readonly number[]): string | undefined {
  const notImage = notAnImage(shape, 20);
  if (notImage) return notImage;
  const bad = shape.slice(0, 2).find((side) => codeSide(side) === undefined);
  if (bad === undefined) return undefined;
  const below = bad - ((bad - 12) % 8 + 8) % 8;
  return `its unpadded convolutions and their mirror give back sides of 8k + 12 pixels only, ` +
    `and ${bad} is not one (${[below, below + 8].filter((s) => s >= 20).join(" or ")} is); ` +
    "resize the images (--image-size) or use conv or tconv";
}

function latentDimFor(shape: readonly number[]): number {
  return 6 * codeSide(shape[0])! * codeSide(shape[1])!;
}

/** [filters, kernel, stride] of the encoder's convolutions (the decoder mirrors them). */
const STAGES: [number, number, number][] = [[3, 2, 1], [6, 3, 2], [6, 3, 2], [6, 4, 2]];

function build(options: BuildOptions): Autoencoder {
  const { latentDim, seed, dropout = 0, inputShape = MNIST_SHAPE } = options;
  const [h, w, c] = checkInputShape(deepconv, inputShape);
  const code = latentDimFor(inputShape);
  if (latentDim !== code) {
    throw new Error(
      `deepconv: the code is ${WHY_24}, ${code} for ${h}x${w}; latentDim ${latentDim}`,
    );
  }
  const encoder = tfl.sequential({
    name: "encoder",
    layers: [
      ...STAGES.flatMap(([filters, kernelSize, strides], i) => [
        L.conv2d({
          name: `enc_conv${i + 1}`,
          ...(i === 0 && { inputShape: [h, w, c] }),
          filters,
          kernelSize,
          strides,
          useBias: false,
        }),
        batchNorm(`enc_bn${i + 1}`),
        L.leakyReLU({ name: `enc_act${i + 1}`, alpha: 0.2 }),
        ...(i < STAGES.length - 1 ? dropoutAfter(`enc_act${i + 1}`, dropout) : []),
      ]),
      L.flatten({ name: "enc_flatten" }),
    ],
  });
  // Mirror: ConvTranspose 6->6 (k4 s2), 6->6 (k3 s2), 6->3 (k3 s2), 3->C (k2 s1).
  const mirror: [number, number, number][] = [[6, 4, 2], [6, 3, 2], [3, 3, 2], [c, 2, 1]];
  const decoder = tfl.sequential({
    name: "decoder",
    layers: [
      L.reshape({
        name: "dec_unflatten",
        inputShape: [code],
        targetShape: [codeSide(h)!, codeSide(w)!, 6],
      }),
      ...mirror.flatMap(([filters, kernelSize, strides], i) => [
        L.conv2dTranspose({
          name: `dec_convT${i + 1}`,
          filters,
          kernelSize,
          strides,
          useBias: false,
        }),
        batchNorm(`dec_bn${i + 1}`),
        ...(i < mirror.length - 1
          ? [L.reLU({ name: `dec_act${i + 1}` }), ...dropoutAfter(`dec_act${i + 1}`, dropout)]
          : []),
      ]),
    ],
  });
  initLikeTorch([encoder, decoder], seed);
  return {
    encoder,
    decoder,
    ...chained("deep_conv_autoencoder", encoder, decoder),
    inputShape: [h, w, c],
  };
}

/** Seed 003's deep convolutional autoencoder. */
export const deepconv: ModelSpec = {
  name: "deepconv",
  title:
    "deep conv AE: 4x (Conv + BatchNorm + LeakyReLU 0.2) -> 6x2x2 = 24-d code -> 4x ConvTranspose + BatchNorm (seed 003)",
  source: "003",
  defaults: {
    epochs: 20,
    batchSize: 100,
    lr: 5e-4,
    loss: "l1",
    optimizer: "adam",
    weightDecay: 0,
    latentDim: CODE_SIZE,
    scale: "unit",
  },
  notTaken: { latentDim: `its code is ${WHY_24}` },
  accepts: "HxWxC images whose sides are 8k + 12 pixels (20, 28, 36, 44, ...)",
  refuses,
  latentDimFor,
  build,
};
