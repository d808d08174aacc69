/**
 * The basic dense autoencoder of seed 001: 784-128-64-32 with ReLU (the code
 * too), decoder 32-64-128-784 with a Tanh output for inputs in [-1,1]. MSE,
 * Adam 1e-3, batch 256. Samples of any shape are taken flat: D = H x W x C
 * values (784 for MNIST), or a table's D features. The Tanh spans [-1, 1],
 * which holds images scaled to [-1, 1] and tables min-max scaled to [0, 1]
 * alike; unbounded (standardized) inputs get a linear output instead.
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
import { flatSize, lastActivation, MNIST_SHAPE } from "./_shape.ts";

function build(options: BuildOptions): Autoencoder {
  const { latentDim, seed, dropout = 0, inputShape = MNIST_SHAPE, unbounded } = options;
  const d = flatSize(inputShape);
  const encoder = tfl.sequential({
    name: "encoder",
    layers: denseStack("enc", [d, 128, 64, latentDim], { dropout }),
  });
  const decoder = tfl.sequential({
    name: "decoder",
    layers: denseStack("dec", [latentDim, 64, 128, d], {
      last: lastActivation("tanh", unbounded),
      dropout,
    }),
  });
  initLikeTorch([encoder, decoder], seed);
  return { encoder, decoder, ...chained("dense_autoencoder", encoder, decoder), inputShape: [d] };
}

/** Seed 001's dense autoencoder. */
export const dense: ModelSpec = {
  name: "dense",
  title: "dense AE: D-128-64-32 ReLU, decoder 32-64-128-D Tanh, inputs in [-1,1] (seed 001)",
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
