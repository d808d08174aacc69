/**
 * The sparse autoencoder of seed 002: an over-complete code of 1000 units
 * (784 inputs for MNIST; D = H x W x C in general), a sigmoid decoder, MSE plus lambda * sum_j KL(rho || rho_j)
 * where rho_j is unit j's mean activation over the batch and rho = 0.05.
 * Adam 1e-3, batch 64, lambda 1e-3. The code is a sigmoid: the seed's ReLU
 * gives mean activations of 0 (dead units) or above 1, where the KL is
 * undefined. Reports the mean hidden activation on the test set.
 *
 * ```ts
 * import { sparse } from "./sparse.ts";
 * const ae = sparse.build({ latentDim: 1000, seed: 0, sparsityWeight: 1e-3 });
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Autoencoder, BuildOptions, ModelSpec } from "./model.ts";
import { penalised, shallowAutoencoder } from "./_shallow.ts";
import { SEED_002_RECIPE } from "./_seed002.ts";

/** The target mean activation. */
export const SPARSITY_TARGET = 0.05;

/**
 * sum_j KL(rho || rho_j) of a batch of codes (N x units) in (0, 1), with
 * rho_j the mean of unit j over the batch.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const kl = sparsityKl(tf.fill([4, 3], 0.05), 0.05); // 0
 * ```
 */
export function sparsityKl(codes: tf.Tensor, rho = SPARSITY_TARGET): tf.Scalar {
  return tf.tidy(() => {
    const rhoHat = tf.clipByValue(tf.mean(codes, 0), 1e-7, 1 - 1e-7);
    const kl = tf.add(
      tf.mul(rho, tf.log(tf.div(rho, rhoHat))),
      tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))),
    );
    return tf.sum(kl) as tf.Scalar;
  });
}

function build(options: BuildOptions): Autoencoder {
  const { latentDim, seed, dropout, sparsityWeight = 1e-3, inputShape, unbounded } = options;
  const parts = shallowAutoencoder({
    name: "sparse_autoencoder",
    hidden: latentDim,
    activation: "sigmoid",
    seed,
    dropout,
    inputShape,
    unbounded,
  });
  return {
    ...penalised(parts, sparsityWeight, (codes) => sparsityKl(codes)),
    metrics: (ctx) =>
      tf.tidy(() => {
        const { codes } = parts.forward(ctx);
        return { mean_activation: tf.mean(codes) as tf.Scalar, sparsity_kl: sparsityKl(codes) };
      }),
  };
}

/** Seed 002's sparse autoencoder. */
export const sparse: ModelSpec = {
  name: "sparse",
  title: "sparse AE: over-complete D-1000 sigmoid code, KL sparsity (rho 0.05) (seed 002)",
  source: "002",
  defaults: {
    ...SEED_002_RECIPE,
    epochs: 10,
    latentDim: 1000,
  },
  options: [{
    key: "sparsityWeight",
    type: "number",
    min: 0,
    default: 1e-3,
    help: "weight of the KL sparsity penalty (rho 0.05)",
  }],
  build,
};
