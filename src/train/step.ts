/**
 * One optimisation step and the batch loss, shared by the training loop and
 * the training benchmark so both time exactly the same work.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { createTrainStep } from "./step.ts";
 * import { MODELS } from "../models/registry.ts";
 * const ae = MODELS.dense.build({ latentDim: 8, seed: 0 });
 * const step = createTrainStep(ae, { loss: "mse", lr: 1e-3 });
 * const [clean, noisy] = [tf.zeros([4, 784]), tf.ones([4, 784])];
 * const loss = step.run(clean); // one Adam update; the batch loss stays on the device
 * step.run(noisy, { target: clean, seed: 7 }).dispose(); // a denoising step with its own draws
 * console.log((await loss.data())[0]);
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import type {
  Autoencoder,
  LossContext,
  LossName,
  OptimizerName,
  Rows,
  TrainingPhase,
} from "../models/model.ts";
import { reconstructionLoss } from "./losses.ts";
import { Adam } from "./optimizer.ts";
import { backpropPlan, stackGradients } from "./backprop.ts";

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

/** What a batch brings besides its input; every field optional. */
export interface BatchExtras {
  /** What the reconstruction should equal (default: the input itself). */
  target?: tf.Tensor;
  /** Class labels (int32), for models that use them. */
  labels?: tf.Tensor;
  /** Seed of the batch's random draws (default 0). */
  seed?: number;
  /**
   * Where this batch sits in the step's whole batch when a data-parallel
   * replica trains a slice of it (default: it is the whole batch); models
   * draw per-sample noise for the whole batch and keep these rows, so the
   * draws do not depend on how the batch is split.
   */
  rows?: Rows;
}

/** A model's optimizer and its step. */
export interface TrainStep {
  /** The optimizer, whose state checkpoints save. */
  optimizer: Adam;
  /** The loss of a batch, without updating (`training` selects dropout / batch statistics). */
  loss(input: tf.Tensor, training: boolean, extras?: BatchExtras): tf.Scalar;
  /** The model's own test metrics of a batch (means over it); `{}` when it has none. */
  metrics(input: tf.Tensor, extras?: BatchExtras): Record<string, tf.Scalar>;
  /**
   * One update on a batch; returns the batch loss before the update as a
   * scalar the caller disposes. Nothing is read back: on WebGPU a read waits
   * for the GPU to go idle, so callers accumulate losses on the device and
   * read them when they need a number (see `LossMeter`).
   */
  run(input: tf.Tensor, extras?: BatchExtras): tf.Scalar;
  /**
   * The batch loss times `weight` (default 1) and its gradients with respect
   * to the current phase's variables, keyed by variable name, without
   * updating: a data-parallel replica's share of a step.
   */
  gradients(
    input: tf.Tensor,
    extras?: BatchExtras,
    weight?: number,
  ): { value: tf.Scalar; grads: tf.NamedTensorMap };
  /**
   * Enters training phase `index` of `ae.phases`: its variables and learning
   * rate; `reset` restarts the optimizer, as at the phase's first epoch.
   */
  setPhase(index: number, options: { reset: boolean }): void;
}

/**
 * Builds the step of `ae`: the current phase's loss if it has one, else the
 * model's own if it defines one, else the reconstruction loss of
 * `ae.reconstruct(input)` against the target.
 *
 * @example
 * ```ts
 * import { createTrainStep } from "./step.ts";
 * import { MODELS } from "../models/registry.ts";
 * const { run, optimizer } = createTrainStep(MODELS.vae.build({ latentDim: 2, seed: 0 }), {
 *   loss: "bce",
 *   lr: 1e-3,
 * });
 * ```
 */
export function createTrainStep(ae: Autoencoder, options: TrainStepOptions): TrainStep {
  const all = ae.parameters.trainableWeights.map((w) => w.read() as tf.Variable);
  const names = ae.parameters.trainableWeights.map((w) => w.originalName);
  const optimizer = new Adam(all, {
    lr: options.lr,
    weightDecay: options.weightDecay ?? 0,
    decoupled: options.optimizer === "adamw",
  });
  let phase: TrainingPhase | undefined = ae.phases?.[0];
  let variables = all;
  const reconstruction = (output: tf.Tensor, target: tf.Tensor) =>
    reconstructionLoss(options.loss, output, target);
  const context = (input: tf.Tensor, training: boolean, extras: BatchExtras): LossContext => ({
    input,
    target: extras.target ?? input,
    labels: extras.labels,
    training,
    seed: extras.seed ?? 0,
    rows: extras.rows,
    reconstruction,
  });
  const loss = (input: tf.Tensor, training: boolean, extras: BatchExtras = {}): tf.Scalar => {
    const ctx = context(input, training, extras);
    const own = phase?.loss ?? ae.loss;
    return own
      ? own(ctx)
      : tf.tidy(() =>
        reconstruction(ae.reconstruct(input, training, ctx.seed, ctx.rows), ctx.target)
      );
  };
  const metrics = (input: tf.Tensor, extras: BatchExtras = {}) =>
    (phase?.metrics ?? ae.metrics)?.(context(input, false, extras)) ?? {};
  // Plain stacks (no loss terms of their own, no phases) skip the tape.
  const plan = !ae.loss && !ae.phases && ae.layers ? backpropPlan(ae.layers) : undefined;
  const weighted = (value: tf.Scalar, weight: number) =>
    weight === 1 ? value : tf.mul(value, weight) as tf.Scalar;
  const gradients = (input: tf.Tensor, extras: BatchExtras = {}, weight = 1) =>
    !phase && ae.gradients
      ? ae.gradients(context(input, true, extras), weight)
      : plan && input.rank === plan.inputRank
      ? stackGradients(
        plan,
        input,
        (output) => weighted(reconstruction(output, extras.target ?? input), weight),
      )
      : tf.variableGrads(
        () => tf.tidy(() => weighted(loss(input, true, extras), weight)),
        variables,
      );
  const run = (input: tf.Tensor, extras: BatchExtras = {}): tf.Scalar => {
    const { value, grads } = gradients(input, extras);
    optimizer.step(grads);
    tf.dispose(grads);
    return value;
  };
  const setPhase = (index: number, { reset }: { reset: boolean }) => {
    const spec = ae.phases?.[index];
    if (ae.phases && !spec) throw new Error(`no training phase ${index}`);
    phase = spec;
    const trains = spec?.trains;
    variables = trains
      ? all.filter((_, i) => trains.some((prefix) => names[i].startsWith(prefix)))
      : all;
    const lr = options.lr * (spec?.lrScale ?? 1);
    if (reset) optimizer.reset({ lr });
    else optimizer.lr = lr;
  };
  return { optimizer, loss, metrics, run, gradients, setPhase };
}
