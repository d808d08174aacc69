/**
 * The one-hidden-layer autoencoder the sparse, denoising and contractive
 * models of seed 002 share: Dense(D -> hidden, activation), then
 * Dense(hidden -> D, sigmoid, or linear for unbounded inputs), D the values
 * of one sample flat (784 for MNIST); dropout, when asked, on the code.
 * @module
 */
import { tf, tfl } from "../deps.ts";
import type { Autoencoder, LossContext } from "./model.ts";
import { initLikeTorch } from "./_torch_init.ts";
import { chained, dropoutAfter } from "./_layers.ts";
import { flatSize, lastActivation, MNIST_SHAPE } from "./_shape.ts";

/** Options of {@linkcode shallowAutoencoder}. */
export interface ShallowOptions {
  name: string;
  hidden: number;
  activation: "relu" | "sigmoid";
  seed: number;
  dropout?: number;
  /** Shape of one sample (default MNIST's), taken flat. */
  inputShape?: readonly number[];
  /** A linear output instead of the sigmoid (default false). */
  unbounded?: boolean;
}

/**
 * The parts of a one-layer autoencoder; `code` is the encoder's Dense layer,
 * and `forward` runs a batch through both halves, giving the codes too (the
 * sparse and contractive penalties are functions of them).
 */
export function shallowAutoencoder(options: ShallowOptions) {
  const { name, hidden, activation, seed, dropout = 0, inputShape = MNIST_SHAPE } = options;
  const d = flatSize(inputShape);
  const code = tfl.layers.dense({ name: "enc_fc1", inputShape: [d], units: hidden, activation });
  const encoder = tfl.sequential({ name: "encoder", layers: [code] });
  const decoder = tfl.sequential({
    name: "decoder",
    layers: [
      tfl.layers.inputLayer({ name: "code", inputShape: [hidden] }),
      ...dropoutAfter("enc_fc1", dropout),
      tfl.layers.dense({
        name: "dec_fc1",
        units: d,
        activation: lastActivation("sigmoid", options.unbounded),
      }),
    ],
  });
  initLikeTorch([encoder, decoder], seed);
  const forward = (ctx: LossContext) => {
    const codes = encoder.apply(ctx.input, { training: ctx.training }) as tf.Tensor;
    const output = decoder.apply(codes, {
      training: ctx.training,
      seed: ctx.seed,
      rows: ctx.rows,
    }) as tf.Tensor;
    return { codes, output };
  };
  return {
    code,
    encoder,
    decoder,
    ...chained(name, encoder, decoder),
    forward,
    inputShape: [d],
  };
}

/**
 * The autoencoder of `parts` trained on its reconstruction loss plus
 * `weight` times `penalty` of its codes: the sparse and contractive
 * objectives. The model adds its own metrics.
 */
export function penalised(
  parts: ReturnType<typeof shallowAutoencoder>,
  weight: number,
  penalty: (codes: tf.Tensor) => tf.Scalar,
): Autoencoder {
  const { encoder, decoder, parameters, reconstruct, forward, inputShape } = parts;
  return {
    encoder,
    decoder,
    parameters,
    reconstruct,
    inputShape,
    loss: (ctx) =>
      tf.tidy(() => {
        const { codes, output } = forward(ctx);
        return tf.add(
          ctx.reconstruction(output, ctx.target),
          tf.mul(weight, penalty(codes)),
        ) as tf.Scalar;
      }),
  };
}
