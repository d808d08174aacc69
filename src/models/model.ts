/**
 * What every model of the zoo provides: an encoder, a decoder, the network
 * that chains them, and the defaults its seed tutorial trains it with.
 *
 * ```ts
 * import { MODELS } from "./registry.ts";
 * const ae = MODELS.conv.build({ latentDim: 64, seed: 0 });
 * ae.network.summary();
 * ```
 *
 * @module
 */
import type { tf, tfl } from "../deps.ts";

/** Reconstruction losses. */
export type LossName = "bce" | "mse" | "l1";
/** Optimizers. */
export type OptimizerName = "adam" | "adamw";
/** Input pixel ranges: [0,1] or [-1,1]. */
export type PixelScale = "unit" | "symmetric";

/** Hyper-parameters a model trains with unless told otherwise (its seed tutorial's). */
export interface ModelDefaults {
  epochs: number;
  batchSize: number;
  lr: number;
  loss: LossName;
  optimizer: OptimizerName;
  weightDecay: number;
  latentDim: number;
  scale: PixelScale;
}

/** Options every model's `build` takes. */
export interface BuildOptions {
  /** Size of the code. */
  latentDim: number;
  /** Seed of the initial weights. */
  seed: number;
}

/** A built autoencoder. */
export interface Autoencoder {
  /** Image batch (N x ...inputShape) to code (N x latentDim). */
  encoder: tfl.LayersModel;
  /** Code to reconstruction, same shape as the input. */
  decoder: tfl.LayersModel;
  /** Encoder then decoder: what is trained and checkpointed. */
  network: tfl.LayersModel;
  /** Shape of one input sample, e.g. `[28, 28, 1]` or `[784]`. */
  inputShape: number[];
  /**
   * The batch loss, when the model adds terms to the reconstruction loss
   * (sparsity, contraction, KL); by default the loop uses `reconstruction`
   * of `network(input)` against `target`.
   */
  loss?(context: LossContext): tf.Scalar;
}

/** What a model's own loss is given. */
export interface LossContext {
  /** The batch as the network takes it (possibly corrupted by noise). */
  input: tf.Tensor;
  /** What the reconstruction should equal (the clean batch). */
  target: tf.Tensor;
  /** Whether this is a training step (dropout, BatchNorm batch statistics). */
  training: boolean;
  /** The reconstruction loss the run was configured with. */
  reconstruction: (output: tf.Tensor, target: tf.Tensor) => tf.Scalar;
}

/** A model of the zoo. */
export interface ModelSpec {
  /** The name `deno task train <name>` takes. */
  name: string;
  /** One line for `--help`. */
  title: string;
  /** The seed tutorial it reproduces. */
  source: string;
  defaults: ModelDefaults;
  build(options: BuildOptions): Autoencoder;
}
