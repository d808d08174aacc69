/**
 * The basic dense autoencoder of seed 001: 784-128-64-32 with ReLU (the code
 * too), decoder 32-64-128-784 with a Tanh output for inputs in [-1,1]. MSE,
 * Adam 1e-3, batch 256.
 *
 * ```ts
 * import { dense } from "./dense.ts";
 * const ae = dense.build({ latentDim: 32, seed: 0 });
 * ```
 *
 * @module
 */
import { tfl } from "../deps.ts";
import type { Autoencoder, BuildOptions, ModelSpec } from "./model.ts";
import { initLikeTorch } from "./_torch_init.ts";
import { chained, denseStack } from "./_layers.ts";

function build({ latentDim, seed, dropout = 0 }: BuildOptions): Autoencoder {
  const encoder = tfl.sequential({
    name: "encoder",
    layers: denseStack("enc", [784, 128, 64, latentDim], { dropout }),
  });
  const decoder = tfl.sequential({
    name: "decoder",
    layers: denseStack("dec", [latentDim, 64, 128, 784], { last: "tanh", dropout }),
  });
  initLikeTorch([encoder, decoder], seed);
  return { encoder, decoder, ...chained("dense_autoencoder", encoder, decoder), inputShape: [784] };
}

/** Seed 001's dense autoencoder. */
export const dense: ModelSpec = {
  name: "dense",
  title: "dense AE: 784-128-64-32 ReLU, decoder 32-64-128-784 Tanh, inputs in [-1,1] (seed 001)",
  source: "001",
  defaults: {
    epochs: 50,
    batchSize: 256,
    lr: 1e-3,
    loss: "mse",
    optimizer: "adam",
    weightDecay: 0,
    latentDim: 32,
    scale: "symmetric",
  },
  build,
};
