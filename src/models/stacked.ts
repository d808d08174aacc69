/**
 * The stacked autoencoder of seed 002: greedy layer-wise pre-training of
 * D-256-128-64 (each layer a shallow AE, ReLU code, sigmoid
 * reconstruction of its input, MSE; 10 epochs each, earlier layers frozen),
 * then fine-tuning of the encoder with a softmax head under cross-entropy
 * (15 epochs at half the learning rate: Adam 5e-4). D is the values of one
 * sample flat (784 for MNIST), the head has one output per class of the
 * data (`classes`, 10 by default), and for unbounded inputs the first
 * layer's reconstruction is linear (the deeper ones reconstruct ReLU codes
 * through a sigmoid, as the seed's do). Reports `test_accuracy`
 * (%) per fine-tuning epoch and the best. The seed applies CrossEntropyLoss
 * to softmax outputs (a double softmax); here the head's logits go to the
 * softmax cross-entropy, as intended.
 *
 * ```ts
 * import { stacked } from "./stacked.ts";
 * const ae = stacked.build({ latentDim: 64, seed: 0, pretrainEpochs: 10, epochs: 15 });
 * ```
 *
 * @module
 */
import { tf, tfl } from "../deps.ts";
import type { Autoencoder, BuildOptions, LossContext, ModelSpec, TrainingPhase } from "./model.ts";
import { initLikeTorch } from "./_torch_init.ts";
import { dropoutAfter } from "./_layers.ts";
import { SEED_002_RECIPE } from "./_seed002.ts";
import { flatSize, lastActivation, MNIST_SHAPE } from "./_shape.ts";

const L = tfl.layers;

function build(options: BuildOptions): Autoencoder {
  const { latentDim, seed, dropout = 0, pretrainEpochs = 10, epochs = 15 } = options;
  const { inputShape = MNIST_SHAPE, unbounded, classes = 10 } = options;
  const d = flatSize(inputShape);
  const sizes = [d, 256, 128, latentDim];
  const enc = sizes.slice(1).map((units, i) =>
    L.dense({ name: `enc_fc${i + 1}`, units, activation: "relu" })
  );
  // Only the first layer reconstructs the data itself; the deeper ones reconstruct ReLU codes.
  const dec = sizes.slice(0, -1).map((units, i) =>
    L.dense({
      name: `dec_fc${i + 1}`,
      units,
      activation: i === 0 ? lastActivation("sigmoid", unbounded) : "sigmoid",
    })
  );
  const drop = enc.map((
    _,
    i,
  ) => (i < enc.length - 1 ? dropoutAfter(`enc_fc${i + 1}`, dropout) : []));
  const head = L.dense({ name: "head_fc", units: classes });

  const input = tfl.input({ shape: [d], name: "image" });
  const hidden: tfl.SymbolicTensor[] = [];
  let h = input as tfl.SymbolicTensor;
  enc.forEach((layer, i) => {
    h = [layer, ...drop[i]].reduce((t, l) => l.apply(t) as tfl.SymbolicTensor, h);
    hidden.push(h);
  });
  const recons = dec.map((layer, i) => layer.apply(hidden[i]) as tfl.SymbolicTensor);
  const parameters = tfl.model({
    name: "stacked_autoencoder",
    inputs: input,
    outputs: [...recons, head.apply(h) as tfl.SymbolicTensor],
  });
  const encoder = tfl.model({ name: "encoder", inputs: input, outputs: h });
  const code = tfl.input({ shape: [latentDim], name: "code" });
  const decoder = tfl.model({
    name: "decoder",
    inputs: code,
    outputs: dec.reduceRight((t, layer) => layer.apply(t) as tfl.SymbolicTensor, code),
  });
  initLikeTorch([parameters], seed);

  const through = (i: number, x: tf.Tensor, ctx: LossContext) =>
    [enc[i], ...drop[i]].reduce(
      (t, l) => l.apply(t, { training: ctx.training, seed: ctx.seed, rows: ctx.rows }) as tf.Tensor,
      x,
    );
  /** The input of layer `depth`: the batch through the layers below it. */
  const below = (ctx: LossContext, depth: number) =>
    Array.from({ length: depth }, (_, i) => i).reduce((t, i) => through(i, t, ctx), ctx.input);
  const logits = (ctx: LossContext) =>
    head.apply(below(ctx, enc.length), { training: ctx.training }) as tf.Tensor;
  // Layer i learns to reconstruct its own input; the frozen layers below feed it,
  // as the seed's precomputed features do.
  const pretrain = (i: number): TrainingPhase => ({
    name: `pretrain ${sizes[i]}-${sizes[i + 1]}`,
    epochs: pretrainEpochs,
    trains: [`enc_fc${i + 1}/`, `dec_fc${i + 1}/`],
    loss: (ctx) =>
      tf.tidy(() => {
        const x = below(ctx, i);
        const output = dec[i].apply(through(i, x, ctx)) as tf.Tensor;
        return ctx.reconstruction(output, i === 0 ? ctx.target : x);
      }),
    metrics: () => ({}),
  });
  const fineTune: TrainingPhase = {
    name: "fine-tune",
    epochs,
    lrScale: 0.5,
    trains: ["enc_fc", "head_fc/"],
    loss: (ctx) =>
      tf.tidy(() =>
        tf.losses.softmaxCrossEntropy(tf.oneHot(ctx.labels!, classes), logits(ctx)) as tf.Scalar
      ),
    metrics: (ctx) =>
      tf.tidy(() => ({
        test_accuracy: tf.mul(
          tf.mean(tf.cast(tf.equal(tf.argMax(logits(ctx), 1), ctx.labels!), "float32")),
          100,
        ) as tf.Scalar,
      })),
  };
  return {
    encoder,
    decoder,
    parameters,
    inputShape: [d],
    usesLabels: true,
    reconstruct: (x, training, seed = 0, rows) =>
      tf.tidy(() =>
        decoder.apply(encoder.apply(x, { training, seed, rows }), {
          training,
          seed,
          rows,
        }) as tf.Tensor
      ),
    phases: [...(pretrainEpochs > 0 ? enc.map((_, i) => pretrain(i)) : []), fineTune],
  };
}

/** Seed 002's stacked autoencoder with its classifier. */
export const stacked: ModelSpec = {
  name: "stacked",
  title:
    "stacked AE: greedy pre-training D-256-128-64, then encoder + softmax fine-tuning; test accuracy (seed 002)",
  source: "002",
  defaults: {
    ...SEED_002_RECIPE,
    epochs: 15,
    latentDim: 64,
  },
  options: [{
    key: "pretrainEpochs",
    type: "integer",
    min: 0,
    default: 10,
    help: "greedy pre-training epochs per layer (--epochs: fine-tuning)",
  }],
  build,
};
