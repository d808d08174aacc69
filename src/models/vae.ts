/**
 * The variational autoencoder of seed 002: D-256 ReLU to a mean and a
 * log-variance (latent 2 by default), a reparameterised sample
 * z = mu + exp(logvar / 2) * eps, decoder latent-256-D with a sigmoid;
 * loss per image = BCE summed over pixels + KL(q(z|x) || N(0, I)). D is the
 * values of one sample flat (784 for MNIST); unbounded inputs get a linear
 * output and the squared error in place of the BCE. Adam 1e-3,
 * batch 64. After every epoch it draws samples from N(0, I), the 20x20
 * manifold over the normal's quantiles (latent 2), the test set's latent
 * scatter by digit and an interpolation between two test digits.
 *
 * ```ts
 * import { vae } from "./vae.ts";
 * const ae = vae.build({ latentDim: 2, seed: 0 });
 * ```
 *
 * @module
 */
import { tf, tfl } from "../deps.ts";
import type { Autoencoder, BuildOptions, LossContext, ModelSpec, Rows } from "./model.ts";
import { initLikeTorch, leafLayers } from "./_torch_init.ts";
import { denseStack, dropoutAfter, sliceDraws } from "./_layers.ts";
import { vaeArtifacts } from "./_vae_figures.ts";
import { SEED_002_RECIPE } from "./_seed002.ts";
import { bcePerSample } from "../train/losses.ts";
import { activate, denseBackward, denseForward, plannedLayer } from "../train/dense_backprop.ts";
import { reluBackward } from "../backend/wasm_kernels/elementwise_math.ts";
import { flatSize, lastActivation, MNIST_SHAPE } from "./_shape.ts";

/**
 * KL(N(mu, exp(logvar)) || N(0, I)) of each row, summed over the latent
 * dimensions: 0.5 * sum(mu^2 + exp(logvar) - logvar - 1).
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const kl = vaeKl(tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 0]])); // [0.5]
 * ```
 */
export function vaeKl(mu: tf.Tensor, logvar: tf.Tensor): tf.Tensor1D {
  return tf.tidy(() =>
    tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1)), -1))
  ) as tf.Tensor1D;
}

function build(options: BuildOptions): Autoencoder {
  const { latentDim, seed, dropout = 0, inputShape = MNIST_SHAPE, unbounded = false } = options;
  const d = flatSize(inputShape);
  const L = tfl.layers;
  const input = tfl.input({ shape: [d], name: "image" });
  const hidden = L.dense({ name: "enc_fc1", units: 256, activation: "relu" });
  const drop = dropoutAfter("enc_fc1", dropout);
  const muLayer = L.dense({ name: "enc_mu", units: latentDim });
  const logvarLayer = L.dense({ name: "enc_logvar", units: latentDim });
  const h = [hidden, ...drop].reduce(
    (t, layer) => layer.apply(t) as tfl.SymbolicTensor,
    input as tfl.SymbolicTensor,
  );
  const mu = muLayer.apply(h) as tfl.SymbolicTensor;
  const logvar = logvarLayer.apply(h) as tfl.SymbolicTensor;
  const stats = tfl.model({ name: "posterior", inputs: input, outputs: [mu, logvar] });
  const encoder = tfl.model({ name: "encoder", inputs: input, outputs: mu });
  const decoder = tfl.sequential({
    name: "decoder",
    layers: denseStack("dec", [latentDim, 256, d], {
      last: lastActivation("sigmoid", unbounded),
      dropout,
    }),
  });
  // PyTorch's Linear(256, 2 * latent) split in two halves has the same init bound.
  initLikeTorch([stats, decoder], seed);
  const parameters = tfl.model({
    name: "vae",
    inputs: input,
    outputs: [decoder.apply(mu) as tfl.SymbolicTensor, logvar],
  });

  const posterior = (input: tf.Tensor, training: boolean, seed: number, rows?: Rows) =>
    stats.apply(input, { training, seed, rows }) as tf.Tensor[];
  const terms = (ctx: LossContext) => {
    const [mu, logvar] = posterior(ctx.input, ctx.training, ctx.seed, ctx.rows);
    const eps = sliceDraws(mu.shape, ctx.seed, ctx.rows);
    const z = tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps));
    const output = decoder.apply(z, {
      training: ctx.training,
      seed: ctx.seed,
      rows: ctx.rows,
    }) as tf.Tensor;
    return lossTerms(ctx, output, mu, logvar, d);
  };
  return {
    encoder,
    decoder,
    parameters,
    inputShape: [d],
    // Dropout's masks would need their own backward; with dropout the tape takes them.
    ...(dropout === 0 && {
      gradients: vaeGradients(
        { hidden, mu: muLayer, logvar: logvarLayer, decoder: leafLayers(decoder) },
        d,
      ),
    }),
    reconstruct: (input, training, seed = 0, rows) =>
      tf.tidy(() =>
        decoder.apply(encoder.apply(input, { training, seed, rows }), {
          training,
          seed,
          rows,
        }) as tf.Tensor
      ),
    loss: (ctx) =>
      tf.tidy(() => {
        const { reconstruction, kl } = terms(ctx);
        return tf.add(reconstruction, kl) as tf.Scalar;
      }),
    metrics: (ctx) => tf.tidy(() => terms(ctx)),
    // Deterministic: the reconstruction of z = mu, BCE summed over pixels (the Bernoulli
    // likelihood), or for unbounded inputs the squared error (a unit Gaussian's, up to constants), plus KL.
    negativeElbo: (input) =>
      tf.tidy(() => {
        const [mu, logvar] = posterior(input, false, 0);
        const output = decoder.apply(mu, { training: false }) as tf.Tensor;
        const perValue = unbounded
          ? tf.mean(tf.square(tf.sub(output, input)), -1)
          : bcePerSample(output, input);
        return tf.add(tf.mul(perValue, d), vaeKl(mu, logvar)) as tf.Tensor1D;
      }),
    artifacts: (ctx) => vaeArtifacts({ encoder, decoder, latentDim }, ctx),
  };
}

/**
 * The VAE's two loss terms of a batch: the reconstruction of `output`
 * against the target summed per image (the configured loss is a mean over
 * its `d` values), and the KL term averaged over the batch.
 */
function lossTerms(
  ctx: LossContext,
  output: tf.Tensor,
  mu: tf.Tensor,
  logvar: tf.Tensor,
  d: number,
): { reconstruction: tf.Scalar; kl: tf.Scalar } {
  const reconstruction = tf.mul(ctx.reconstruction(output, ctx.target), d) as tf.Scalar;
  const kl = tf.mean(vaeKl(mu, logvar)) as tf.Scalar;
  return { reconstruction, kl };
}

/** The VAE's dense layers, by role. */
interface VaeLayers {
  hidden: tfl.layers.Layer;
  mu: tfl.layers.Layer;
  logvar: tfl.layers.Layer;
  decoder: tfl.layers.Layer[];
}

/**
 * The VAE's loss gradients by hand: the dense layers forward as fused
 * products and backward as tfjs's gradients run them, the reparameterised
 * sample's chain rule in the tape's order of operations, and only the output
 * activation, the reconstruction loss and the KL term taped. Every gradient
 * with more than two terms sums them in the tape's order, so the result is
 * the tape's bit for bit (tests/backprop_test.ts).
 */
function vaeGradients(layers: VaeLayers, d: number): NonNullable<Autoencoder["gradients"]> {
  const [hidden, mu, logvar, dec1, dec2] = [
    layers.hidden,
    layers.mu,
    layers.logvar,
    ...layers.decoder,
  ].map((l) => plannedLayer(l)!);
  return (ctx, weight) =>
    tf.tidy(() => {
      const h = denseForward(ctx.input, hidden, true);
      const m = denseForward(h, mu, false);
      const lv = denseForward(h, logvar, false);
      const eps = sliceDraws(m.shape, ctx.seed, ctx.rows);
      const scale = tf.exp(tf.mul(lv, 0.5));
      const z = tf.add(m, tf.mul(scale, eps));
      const a = denseForward(z, dec1, true);
      const out = denseForward(a, dec2, false);
      const head = (o: tf.Tensor, mean: tf.Tensor, lvar: tf.Tensor) => {
        const terms = lossTerms(ctx, activate(o, dec2.activation), mean, lvar, d);
        const loss = tf.add(terms.reconstruction, terms.kl) as tf.Scalar;
        return weight === 1 ? loss : tf.mul(loss, weight) as tf.Scalar;
      };
      const { value, grads: [gOut, gMu, gLogvar] } = tf.valueAndGrads(
        (o: tf.Tensor, mean: tf.Tensor, lvar: tf.Tensor) => head(o, mean, lvar),
      )([out, m, lv]);
      const grads: tf.NamedTensorMap = {};
      const gA = reluBackward(denseBackward(a, gOut, dec2, grads, true)!, a);
      const gZ = denseBackward(z, gA, dec1, grads, true)!;
      // z = mu + exp(logvar / 2) * eps: the tape's mul, exp and mul gradients in turn.
      const gMuAll = tf.add(gMu, gZ);
      const gLogvarAll = tf.add(gLogvar, tf.mul(tf.mul(tf.mul(gZ, eps), scale), 0.5));
      const gH = tf.add(
        denseBackward(h, gLogvarAll, logvar, grads, true)!,
        denseBackward(h, gMuAll, mu, grads, true)!,
      );
      denseBackward(ctx.input, reluBackward(gH, h), hidden, grads, false);
      return { value, grads };
    });
}

/** Seed 002's variational autoencoder. */
export const vae: ModelSpec = {
  name: "vae",
  title: "VAE: D-256 -> (mu, log-variance), BCE(sum) + KL, samples / manifold / scatter (seed 002)",
  source: "002",
  defaults: {
    ...SEED_002_RECIPE,
    epochs: 50,
    latentDim: 2,
    loss: "bce",
  },
  build,
};
