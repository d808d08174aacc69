/**
 * What every model of the zoo provides: an encoder, a decoder, its
 * reconstruction, the container that holds every weight, the defaults its
 * seed tutorial trains it with, and optional hooks through which the one
 * training loop serves them all: its own loss, test-set metrics, per-epoch
 * figures and training phases (each with its own loss, metrics and
 * learning-rate scale).
 *
 * ```ts
 * import { MODELS } from "./registry.ts";
 * const ae = MODELS.conv.build({ latentDim: 64, seed: 0 });
 * ae.parameters.summary();
 * ```
 *
 * @module
 */
import type { tf, tfl } from "../deps.ts";
import type { Dataset } from "../data/dataset.ts";

/** Reconstruction losses. */
export const LOSS_NAMES = ["bce", "mse", "l1"] as const;
/** A reconstruction loss. */
export type LossName = typeof LOSS_NAMES[number];
/** Optimizers. */
export const OPTIMIZER_NAMES = ["adam", "adamw"] as const;
/** An optimizer. */
export type OptimizerName = typeof OPTIMIZER_NAMES[number];
/** Input pixel ranges: [0,1] or [-1,1]. */
export type PixelScale = "unit" | "symmetric";
/** Input corruptions while training (`none`: clean inputs). */
export const NOISE_NAMES = ["none", "gaussian", "mask", "saltpepper"] as const;
/** An input corruption. */
export type NoiseName = typeof NOISE_NAMES[number];

/** Hyper-parameters a model trains with unless told otherwise (its seed tutorial's). */
export interface ModelDefaults {
  /** Passes over the training set (stacked: of fine-tuning, after pre-training). */
  epochs: number;
  /** Images per optimizer step. */
  batchSize: number;
  /** Adam learning rate (a phase may scale it by its `lrScale`). */
  lr: number;
  /** Reconstruction loss, a mean over pixels (`bce` wants outputs in [0,1]). */
  loss: LossName;
  /** `adam`, or `adamw` with decoupled weight decay as `torch.optim.AdamW`. */
  optimizer: OptimizerName;
  /** Weight decay: an L2 term on the gradient (`adam`) or decoupled (`adamw`); 0 for none. */
  weightDecay: number;
  /** Size of the code: numbers per image out of the encoder. */
  latentDim: number;
  /** Range the pixels are scaled to, which the decoder's last activation must match. */
  scale: PixelScale;
  /** Input corruption while training (the denoising AE's). */
  noise?: NoiseName;
  /** Strength of `noise`: gaussian sigma, or the fraction of pixels masked / salted. */
  noiseLevel?: number;
}

/**
 * The options only some models take, each declared (with its default) in
 * the `options` of the model that takes it.
 */
export interface ModelOwnSettings {
  /** Channels of the first conv block; the next ones double (tconv). */
  width?: number;
  /** Weight of the KL sparsity penalty (sparse). */
  sparsityWeight?: number;
  /** Weight of the Jacobian penalty (contractive). */
  contractiveWeight?: number;
  /** Epochs of greedy pre-training per layer (stacked). */
  pretrainEpochs?: number;
}

/** A model's own option: declared once, it is validated, parsed from the command line and listed in `--help`. */
export interface ModelOption {
  /** Its key in the settings; the flag is its kebab-case (`sparsityWeight`: `--sparsity-weight`). */
  key: keyof ModelOwnSettings;
  /** Whole numbers only, or any number. */
  type: "integer" | "number";
  /** The smallest value allowed. */
  min: number;
  /** The value when not given. */
  default: number;
  /** One line for `--help`. */
  help: string;
}

/** Options every model's `build` takes: the run's settings and the shape of its data. */
export interface BuildOptions extends Partial<ModelDefaults>, ModelOwnSettings {
  /** Size of the code. */
  latentDim: number;
  /** Seed of the initial weights. */
  seed: number;
  /** Dropout rate after every hidden layer (default 0: none). */
  dropout?: number;
  /**
   * Shape of one sample of the data: `[H, W, C]` for images, `[D]` for rows
   * of a table (default `[28, 28, 1]`, MNIST's). Dense models take the
   * `H * W * C` values flat; convolutional ones take images and say which.
   */
  inputShape?: readonly number[];
  /**
   * The inputs are not confined to [0, 1] or [-1, 1] (standardized tables):
   * the decoder's last layer is linear instead of its sigmoid or Tanh
   * (default false).
   */
  unbounded?: boolean;
  /** Number of classes of the labels, for models with a classifier head (default 10). */
  classes?: number;
}

/** A built autoencoder. */
export interface Autoencoder {
  /** Image batch (N x ...inputShape) to code (N x latentDim). */
  encoder: tfl.LayersModel;
  /** Code to reconstruction, same shape as the input. */
  decoder: tfl.LayersModel;
  /**
   * Every weight of the model in one container, what the optimizer trains
   * and a checkpoint saves; not necessarily a forward pass (the VAE's has
   * two outputs, the stacked AE's four).
   */
  parameters: tfl.LayersModel;
  /**
   * Shape of one input sample as the network takes it: the image
   * (`[28, 28, 1]`) for convolutional models, flat (`[784]`) for dense ones.
   */
  inputShape: number[];
  /**
   * The reconstruction of a batch (the decoder of the encoder's code);
   * `training` turns on dropout and batch statistics, `seed` draws the
   * dropout masks; `rows` says where the batch sits in a data-parallel
   * step's whole batch (the masks are drawn for the whole batch).
   */
  reconstruct(input: tf.Tensor, training: boolean, seed?: number, rows?: Rows): tf.Tensor;
  /**
   * When `reconstruct` is nothing but these layers applied in order (models
   * built with `chained`), the layers: the training step then takes a
   * dense stack's gradients without recording a tape.
   */
  layers?: tfl.layers.Layer[];
  /**
   * The batch loss, when the model adds terms to the reconstruction loss
   * (sparsity, contraction, KL); by default the loop uses `reconstruction`
   * of `reconstruct(input)` against `target`. A phase's own loss comes first.
   */
  loss?(context: LossContext): tf.Scalar;
  /**
   * The training loss of `loss` times `weight` and its gradients by
   * variable name, written out by hand: what `tf.variableGrads` of the loss
   * gives, bit for bit, in fewer kernels and without a tape. Optional.
   */
  gradients?(context: LossContext, weight: number): {
    value: tf.Scalar;
    grads: tf.NamedTensorMap;
  };
  /**
   * Per-batch test-set metrics (each a mean over the batch), averaged over
   * the test set after every epoch into `metrics.jsonl`.
   */
  metrics?(context: LossContext): Record<string, tf.Scalar>;
  /**
   * Each sample's negative evidence lower bound (a VAE's own loss, per
   * sample, in evaluation mode): the anomaly score `elbo`.
   */
  negativeElbo?(input: tf.Tensor): tf.Tensor1D;
  /** Files (name to bytes) written into the run folder after every epoch. */
  artifacts?(context: ArtifactContext): Promise<Record<string, Uint8Array>>;
  /**
   * Training phases run one after another, each with a fresh optimizer
   * (greedy pre-training, then fine-tuning); default one phase of `epochs`.
   */
  phases?: TrainingPhase[];
  /** Whether the loss or metrics read the batch's labels. */
  usesLabels?: boolean;
}

/** One phase of training. */
export interface TrainingPhase {
  /** Shown in the progress line, e.g. `pretrain 784-256`. */
  name: string;
  /** Epochs this phase trains for. */
  epochs: number;
  /** Learning rate as a multiple of the run's `--lr` (default 1). */
  lrScale?: number;
  /** Prefixes of the weight names this phase trains (default: all). */
  trains?: string[];
  /** The phase's loss (default: the model's). */
  loss?(context: LossContext): tf.Scalar;
  /** The phase's test metrics (default: the model's). */
  metrics?(context: LossContext): Record<string, tf.Scalar>;
}

/** What a model's own loss and metrics are given. */
export interface LossContext {
  /** The batch as the network takes it (possibly corrupted by noise). */
  input: tf.Tensor;
  /** What the reconstruction should equal (the clean batch). */
  target: tf.Tensor;
  /** The batch's class labels (int32), when the model `usesLabels`. */
  labels?: tf.Tensor;
  /** Whether this is a training step (dropout, BatchNorm batch statistics). */
  training: boolean;
  /** Seed of this batch's random draws (sampling, dropout), a function of seed, epoch and step. */
  seed: number;
  /**
   * Where the batch sits in the step's whole batch, when a data-parallel
   * replica trains a slice of it (default: it is the whole batch). Per-sample
   * draws are made for the whole batch and these rows kept (see `sliceDraws` in `_layers.ts`).
   */
  rows?: Rows;
  /** The reconstruction loss the run was configured with (mean over pixels). */
  reconstruction: (output: tf.Tensor, target: tf.Tensor) => tf.Scalar;
}

/** Rows `offset` to `offset + n` of a batch of `total` rows. */
export interface Rows {
  /** The first row. */
  offset: number;
  /** Rows in the whole batch. */
  total: number;
}

/** What a model's per-epoch figures are drawn from. */
export interface ArtifactContext {
  /** The test set. */
  test: Dataset;
  /** Images (flat pixels of whole samples) as a network input batch. */
  toTensor(images: Float32Array): tf.Tensor;
  /** Seed of the figures' random draws (fixed for the run, so epochs compare). */
  seed: number;
  /** Pixel range of `test`'s images, `unit` [0,1] or `symmetric` [-1,1]. */
  scale: PixelScale;
}

/** A model of the zoo. */
export interface ModelSpec {
  /** The name `deno task train <name>` takes. */
  name: string;
  /** One line for `--help`. */
  title: string;
  /** The seed tutorial it reproduces. */
  source: string;
  /** The hyper-parameters of its seed tutorial, used for every option not given. */
  defaults: ModelDefaults;
  /** Options only this model takes, with their defaults (default none). */
  options?: ModelOption[];
  /** Options every other model takes that this one does not, with the reason (default none). */
  notTaken?: Partial<Record<"latentDim", string>>;
  /** Which samples it takes, in a few words, for `--help` and errors (default: any, flattened). */
  accepts?: string;
  /**
   * Why it cannot take samples of `shape` (`[H, W, C]` or `[D]`), or
   * `undefined` when it can (default: it takes any). Asked before any data
   * is loaded when the shape is known then.
   */
  refuses?(shape: readonly number[]): string | undefined;
  /** The code size for samples of `shape`, for a model whose architecture fixes it. */
  latentDimFor?(shape: readonly number[]): number;
  /** A new model with freshly initialised weights (from `options.seed`). */
  build(options: BuildOptions): Autoencoder;
}
