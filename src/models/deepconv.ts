/**
 * The deep convolutional autoencoder of seed 003: four bias-free Conv2d +
 * BatchNorm + LeakyReLU(0.2) stages take 1x28x28 to a 6x2x2 = 24-d code, four
 * ConvTranspose + BatchNorm (+ ReLU) stages bring it back; L1 loss, Adam
 * 5e-4, batch 100. The code size is fixed by the architecture.
 *
 * ```ts
 * import { deepconv } from "./deepconv.ts";
 * const ae = deepconv.build({ latentDim: 24, seed: 0 });
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
const CODE_SIZE = 24;
const WHY_24 = "6x2x2 = 24 numbers by construction";

/** [filters, kernel, stride] of the encoder's convolutions (the decoder mirrors them). */
const STAGES: [number, number, number][] = [[3, 2, 1], [6, 3, 2], [6, 3, 2], [6, 4, 2]];

function build({ latentDim, seed, dropout = 0 }: BuildOptions): Autoencoder {
  if (latentDim !== CODE_SIZE) {
    throw new Error(`deepconv: the code is ${WHY_24}; latentDim ${latentDim}`);
  }
  const encoder = tfl.sequential({
    name: "encoder",
    layers: [
      ...STAGES.flatMap(([filters, kernelSize, strides], i) => [
        L.conv2d({
          name: `enc_conv${i + 1}`,
          ...(i === 0 && { inputShape: [28, 28, 1] }),
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
  // Mirror: ConvTranspose 6->6 (k4 s2), 6->6 (k3 s2), 6->3 (k3 s2), 3->1 (k2 s1).
  const mirror: [number, number, number][] = [[6, 4, 2], [6, 3, 2], [3, 3, 2], [1, 2, 1]];
  const decoder = tfl.sequential({
    name: "decoder",
    layers: [
      L.reshape({ name: "dec_unflatten", inputShape: [24], targetShape: [2, 2, 6] }),
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
    inputShape: [28, 28, 1],
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
  build,
};
