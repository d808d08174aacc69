/**
 * The contractive autoencoder of seed 002: a one-layer sigmoid encoder
 * z = sigmoid(W x + b) and a sigmoid decoder, loss = MSE + lambda *
 * ||dz/dx||_F^2, with the Jacobian's norm in closed form:
 * sum_j (z_j (1 - z_j))^2 * sum_i W_ij^2. Adam 1e-3, batch 64, code 256,
 * lambda 1e-4. Reports the test set's mean ||dz/dx||_F^2 (`contraction`).
 *
 * ```ts
 * import { contractive } from "./contractive.ts";
 * const ae = contractive.build({ latentDim: 256, seed: 0, contractiveWeight: 1e-4 });
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Autoencoder, BuildOptions, ModelSpec } from "./model.ts";
import { penalised, shallowAutoencoder } from "./_shallow.ts";
import { SEED_002_RECIPE } from "./_seed002.ts";

/**
 * The mean over the batch of ||dz/dx||_F^2 for z = sigmoid(x W + b), from the
 * codes `z` (N x units) and the kernel `W` (inputs x units).
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const p = jacobianPenalty(tf.fill([1, 2], 0.5), tf.ones([3, 2])); // 2 * 0.0625 * 3
 * ```
 */
export function jacobianPenalty(codes: tf.Tensor, kernel: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const slope = tf.square(tf.mul(codes, tf.sub(1, codes)));
    return tf.mean(tf.sum(tf.mul(slope, tf.sum(tf.square(kernel), 0)), 1)) as tf.Scalar;
  });
}

function build(options: BuildOptions): Autoencoder {
  const { latentDim, seed, dropout, contractiveWeight = 1e-4, inputShape, unbounded } = options;
  const parts = shallowAutoencoder({
    name: "contractive_autoencoder",
    hidden: latentDim,
    activation: "sigmoid",
    seed,
    dropout,
    inputShape,
    unbounded,
  });
  const penalty = (codes: tf.Tensor) =>
    jacobianPenalty(codes, parts.code.trainableWeights[0].read());
  return {
    ...penalised(parts, contractiveWeight, penalty),
    metrics: (ctx) => tf.tidy(() => ({ contraction: penalty(parts.forward(ctx).codes) })),
  };
}

/** Seed 002's contractive autoencoder. */
export const contractive: ModelSpec = {
  name: "contractive",
  title: "contractive AE: D-256 sigmoid encoder, MSE + lambda ||dz/dx||_F^2 (seed 002)",
  source: "002",
  defaults: {
    ...SEED_002_RECIPE,
    epochs: 10,
    latentDim: 256,
  },
  options: [{
    key: "contractiveWeight",
    type: "number",
    min: 0,
    default: 1e-4,
    help: "weight of the Jacobian penalty ||dz/dx||_F^2",
  }],
  build,
};
