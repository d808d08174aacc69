/**
 * One optimisation step and the batch loss, shared by the training loop and
 * the training benchmark so both time exactly the same work.
 *
 * ```ts
 * // const step = createTrainStep(ae, { loss: "bce", lr: 1e-3 });
 * // const loss = await step.run(batch); // one Adam update, returns the batch loss
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type { Autoencoder, LossName, OptimizerName } from "../models/model.ts";
import { reconstructionLoss } from "./losses.ts";
import { Adam } from "./optimizer.ts";

/** Options for {@linkcode createTrainStep}. */
export interface TrainStepOptions {
  /** Reconstruction loss. */
  loss: LossName;
  /** Learning rate. */
  lr: number;
  /** `adam` (default) or `adamw`. */
  optimizer?: OptimizerName;
  /** Weight decay (default 0). */
  weightDecay?: number;
}

/** A model's optimizer and its step. */
export interface TrainStep {
  optimizer: Adam;
  /** The loss of a batch, without updating (`training` selects dropout / batch statistics). */
  loss(input: tf.Tensor, training: boolean): tf.Scalar;
  /** One update on a batch; resolves to the batch loss before the update. */
  run(input: tf.Tensor): Promise<number>;
}

/**
 * Builds the step of `ae`: its own loss if it defines one, else the
 * reconstruction loss of `network(input)` against the input.
 *
 * @example
 * ```ts
 * // const { run } = createTrainStep(ae, { loss: "mse", lr: 1e-3 });
 * ```
 */
export function createTrainStep(ae: Autoencoder, options: TrainStepOptions): TrainStep {
  const variables = ae.network.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = new Adam(variables, {
    lr: options.lr,
    weightDecay: options.weightDecay ?? 0,
    decoupled: options.optimizer === "adamw",
  });
  const reconstruction = (output: tf.Tensor, target: tf.Tensor) =>
    reconstructionLoss(options.loss, output, target);
  const loss = (input: tf.Tensor, training: boolean): tf.Scalar =>
    ae.loss
      ? ae.loss({ input, target: input, training, reconstruction })
      : reconstruction(ae.network.apply(input, { training }) as tf.Tensor, input);
  const run = async (input: tf.Tensor): Promise<number> => {
    const { value, grads } = tf.variableGrads(() => loss(input, true), variables);
    optimizer.step(grads);
    const result = (await value.data())[0];
    tf.dispose([value, grads]);
    return result;
  };
  return { optimizer, loss, run };
}
