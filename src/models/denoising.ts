/**
 * The denoising autoencoder of seed 002: D-256 ReLU, 256-D sigmoid (D = 784 for MNIST), MSE,
 * Adam 1e-3, batch 64, 15 epochs, trained on inputs corrupted by Gaussian
 * noise (sigma 0.2, or `--noise mask|saltpepper --noise-level`) to
 * reconstruct the clean ones. The loop does the corrupting (any model may be
 * trained so); for runs with noise it reports the test PSNR of the noisy and
 * of the denoised images and draws clean / noisy / denoised rows.
 *
 * ```ts
 * import { denoising } from "./denoising.ts";
 * const ae = denoising.build({ latentDim: 256, seed: 0 });
 * ```
 *
 * @module
 */
import type { Autoencoder, BuildOptions, ModelSpec } from "./model.ts";
import { shallowAutoencoder } from "./_shallow.ts";
import { SEED_002_RECIPE } from "./_seed002.ts";

function build({ latentDim, seed, dropout, inputShape, unbounded }: BuildOptions): Autoencoder {
  const { encoder, decoder, parameters, reconstruct, ...shape } = shallowAutoencoder({
    name: "denoising_autoencoder",
    hidden: latentDim,
    activation: "relu",
    seed,
    dropout,
    inputShape,
    unbounded,
  });
  return { encoder, decoder, parameters, reconstruct, inputShape: shape.inputShape };
}

/** Seed 002's denoising autoencoder. */
export const denoising: ModelSpec = {
  name: "denoising",
  title:
    "denoising AE: D-256 ReLU, 256-D sigmoid, trained on noisy inputs; PSNR of noisy / denoised (seed 002)",
  source: "002",
  defaults: {
    ...SEED_002_RECIPE,
    epochs: 15,
    latentDim: 256,
    noise: "gaussian",
    noiseLevel: 0.2,
  },
  build,
};
