/**
 * A plain stack's gradients taken by hand equal the tape's bit for bit, on
 * wasm and cpu: dense stacks for every last activation and weighted losses,
 * and stacks of convolutions, poolings, reshapes, transposed convolutions
 * and dense layers (the conv AE's, and odd strides, paddings and sizes); the
 * training step takes them for plain stacks (in fewer kernels) and records
 * a tape for everything else.
 */
import { assert, assertAllClose, assertEquals } from "./_assert.ts";
import { tf, tfl } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { MODELS } from "../src/models/registry.ts";
import { denseStack } from "../src/models/_layers.ts";
import { initLikeTorch, leafLayers } from "../src/models/_torch_init.ts";
import { backpropPlan, stackGradients } from "../src/train/backprop.ts";
import type { LastActivation } from "../src/train/dense_backprop.ts";
import { reconstructionLoss } from "../src/train/losses.ts";
import { createTrainStep } from "../src/train/step.ts";
import type { LossName } from "../src/models/model.ts";

/** A 20-16-8-20 stack with ReLU hidden layers and `last` at the end. */
function stack(last: LastActivation): tfl.Sequential {
  const model = tfl.sequential({ layers: denseStack("t", [20, 16, 8, 20], { last }) });
  initLikeTorch([model], 3);
  return model;
}

function tapeGradients(model: tfl.Sequential, x: tf.Tensor, loss: (y: tf.Tensor) => tf.Scalar) {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return tf.variableGrads(() => loss(model.apply(x) as tf.Tensor), variables);
}

function assertSame(a: ReturnType<typeof tapeGradients>, b: ReturnType<typeof tapeGradients>) {
  assertEquals(a.value.dataSync(), b.value.dataSync(), "loss");
  assertEquals(Object.keys(b.grads).sort(), Object.keys(a.grads).sort());
  for (const name of Object.keys(a.grads)) {
    assertEquals(b.grads[name].dataSync(), a.grads[name].dataSync(), name);
  }
}

/**
 * Asserts that `model`'s plan gives the tape's loss and gradients bit for bit
 * on a batch of `rows` (`lossName` times `weight`), leaving no tensor behind.
 */
function assertPlanIsTape(model: tfl.Sequential, rows: number, lossName: LossName, weight: number) {
  const plan = backpropPlan(leafLayers(model));
  assert(plan, "a plan");
  const shape = (t: tfl.SymbolicTensor) => [rows, ...t.shape.slice(1) as number[]];
  const x = tf.randomUniform(shape(model.inputs[0]), 0.05, 0.95, "float32", 1);
  const target = tf.randomUniform(shape(model.outputs[0]), 0.05, 0.95, "float32", 2);
  const loss = (y: tf.Tensor) =>
    tf.tidy(() => tf.mul(reconstructionLoss(lossName, y, target), weight) as tf.Scalar);
  const before = tf.memory().numTensors;
  const byHand = stackGradients(plan, x, loss);
  const taped = tapeGradients(model, x, loss);
  assertSame(taped, byHand);
  tf.dispose([byHand.value, byHand.grads, taped.value, taped.grads]);
  assertEquals(tf.memory().numTensors, before, "live tensors");
  tf.dispose([x, target, model.weights.map((w) => w.read())]);
}

const cases: [LastActivation, LossName, number][] = [
  ["tanh", "mse", 1],
  ["linear", "mse", 0.25],
  ["sigmoid", "bce", 1],
  ["relu", "l1", 0.5],
];

for (const backend of ["wasm", "cpu"] as const) {
  for (const [last, lossName, weight] of cases) {
    Deno.test(`${backend}: ${last} last, ${lossName} x ${weight}: the tape's loss and gradients, bit for bit`, async () => {
      await initBackend({ backend });
      assertPlanIsTape(stack(last), 9, lossName, weight);
    });
  }
}

/** A stack with every kind of planned layer at odd sizes, strides and paddings, `last` at the end. */
function convStack(last: LastActivation): tfl.Sequential {
  const L = tfl.layers;
  const model = tfl.sequential({
    layers: [
      L.conv2d({ inputShape: [11, 9, 2], filters: 5, kernelSize: 3, activation: "relu" }),
      L.maxPooling2d({ poolSize: 2, strides: 2, padding: "same" }),
      L.conv2d({ filters: 6, kernelSize: [2, 3], strides: [2, 1], padding: "same" }),
      L.flatten(),
      L.dense({ units: 7, activation: "relu" }),
      L.dense({ units: 3 * 2 * 4, activation: "relu" }),
      L.reshape({ targetShape: [3, 2, 4] }),
      L.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, activation: "relu" }),
      L.conv2dTranspose({
        filters: 2,
        kernelSize: 2,
        strides: [1, 2],
        padding: "same",
        activation: last,
      }),
    ],
  });
  initLikeTorch([model], 4);
  return model;
}

for (const backend of ["wasm", "cpu"] as const) {
  const convCases: [string, () => tfl.Sequential, LossName][] = [
    [
      "the conv AE's",
      () => MODELS.conv.build({ latentDim: 6, seed: 0 }).parameters as tfl.Sequential,
      "bce",
    ],
    ["a sigmoid-ended stack of every planned layer's", () => convStack("sigmoid"), "bce"],
    ["a linear-ended stack of every planned layer's", () => convStack("linear"), "mse"],
  ];
  for (const [what, build, lossName] of convCases) {
    Deno.test(`${backend}: ${what} gradients by hand: the tape's, bit for bit`, async () => {
      await initBackend({ backend });
      assertPlanIsTape(build(), 3, lossName, 0.5);
    });
  }
}

Deno.test("plans: dense and convolution stacks with ReLU or linear hidden layers; not dropout, BatchNorm, padding layers or hidden sigmoids", async () => {
  await initBackend({ backend: "cpu" });
  const planOf = (ae: { layers?: tfl.layers.Layer[] }) => backpropPlan(ae.layers ?? []);
  const dense = planOf(MODELS.dense.build({ latentDim: 32, seed: 0 }));
  assertEquals(dense?.steps.map((s) => s.activation), [
    "relu",
    "relu",
    "relu",
    "relu",
    "relu",
    "tanh",
  ]);
  assertEquals(dense?.inputRank, 2);
  const conv = planOf(MODELS.conv.build({ latentDim: 32, seed: 0 }));
  assertEquals(conv?.steps.map((s) => `${s.kind} ${s.activation}`), [
    "Conv2D relu",
    "MaxPooling2D linear",
    "Conv2D relu",
    "MaxPooling2D linear",
    "Flatten linear",
    "Dense relu",
    "Dense relu",
    "Reshape linear",
    "Conv2DTranspose relu",
    "Conv2DTranspose sigmoid",
  ]);
  assertEquals(conv?.inputRank, 4);
  assertEquals(planOf(MODELS.dense.build({ latentDim: 32, seed: 0, dropout: 0.2 })), undefined);
  assertEquals(planOf(MODELS.conv.build({ latentDim: 32, seed: 0, dropout: 0.2 })), undefined);
  assertEquals(
    planOf(MODELS.conv.build({ latentDim: 8, seed: 0, inputShape: [30, 30, 1] })),
    undefined,
  );
  assertEquals(planOf(MODELS.deepconv.build({ latentDim: 24, seed: 0 })), undefined);
  const sigmoidHidden = tfl.sequential({
    layers: denseStack("s", [20, 8, 20], { activation: "sigmoid" }),
  });
  assertEquals(backpropPlan(leafLayers(sigmoidHidden)), undefined);
  const dilated = tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3, dilationRate: 2 }),
    ],
  });
  assertEquals(backpropPlan(leafLayers(dilated)), undefined);
});

for (
  const [name, loss, rows, fewer] of [["dense", "mse", 16, 0.75], ["conv", "bce", 4, 0.5]] as const
) {
  Deno.test(`wasm: the ${name} AE's step takes its gradients by hand: the tape's, in fewer kernels`, async () => {
    await initBackend({ backend: "wasm" });
    const ae = MODELS[name].build({ latentDim: 32, seed: 0 });
    const step = createTrainStep(ae, { loss, lr: 1e-3 });
    const x = tf.randomUniform([rows, ...ae.inputShape], 0.01, 0.99, "float32", 4);
    const target = tf.randomUniform([rows, ...ae.inputShape], 0.01, 0.99, "float32", 5);
    const lossOf = (y: tf.Tensor) =>
      tf.tidy(() => tf.mul(reconstructionLoss(loss, y, target), 0.5) as tf.Scalar);
    const kernels = async (f: () => ReturnType<typeof tapeGradients>) => {
      let result!: ReturnType<typeof tapeGradients>;
      const info = await tf.profile(() => {
        result = f();
        return [result.value, ...Object.values(result.grads)];
      });
      return { result, count: info.kernels.filter((k) => !k.name.endsWith("__op")).length };
    };
    const byStep = await kernels(() => step.gradients(x, { target }, 0.5));
    const taped = await kernels(() => tapeGradients(ae.parameters as tfl.Sequential, x, lossOf));
    assertSame(taped.result, byStep.result);
    assert(
      byStep.count < fewer * taped.count,
      `${byStep.count} kernels by hand, ${taped.count} with the tape`,
    );
    tf.dispose([byStep.result.value, byStep.result.grads, taped.result.value, taped.result.grads]);
    tf.dispose([x, target]);
  });
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`${backend}: the VAE's gradients by hand are the tape's bit for bit, slices, weights and unbounded data too`, async () => {
    await initBackend({ backend });
    const cases = [
      [false, "bce", 1, undefined],
      [false, "bce", 0.25, { offset: 12, total: 48 }],
      [true, "mse", 0.5, { offset: 0, total: 24 }],
    ] as const;
    for (const [unbounded, loss, weight, rows] of cases) {
      const ae = MODELS.vae.build({ latentDim: 3, seed: 0, unbounded });
      assert(ae.gradients, "the VAE writes its gradients out");
      const variables = ae.parameters.trainableWeights.map((w) => w.read() as tf.Variable);
      const input = tf.randomUniform([12, 784], 0.01, 0.99, "float32", 6);
      const ctx = {
        input,
        target: input,
        training: true,
        seed: 17,
        rows,
        reconstruction: (o: tf.Tensor, t: tf.Tensor) => reconstructionLoss(loss, o, t),
      };
      const before = tf.memory().numTensors;
      const byHand = ae.gradients(ctx, weight);
      const taped = tf.variableGrads(
        () => tf.tidy(() => tf.mul(ae.loss!(ctx), weight) as tf.Scalar),
        variables,
      );
      assertSame(taped, byHand);
      tf.dispose([byHand.value, byHand.grads, taped.value, taped.grads]);
      assertEquals(tf.memory().numTensors, before, "live tensors");
      tf.dispose([input, ae.parameters.weights.map((w) => w.read())]);
    }
  });
}

Deno.test("the VAE with dropout leaves its gradients to the tape", async () => {
  await initBackend({ backend: "cpu" });
  assertEquals(MODELS.vae.build({ latentDim: 2, seed: 0, dropout: 0.1 }).gradients, undefined);
});

const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
Deno.test({
  name:
    "webgpu: the dense AE's, the VAE's and the conv AE's gradients by hand are the tape's, within float rounding",
  ignore: !adapter,
  fn: async () => {
    await initBackend({ backend: "webgpu" });
    for (const [name, loss] of [["dense", "mse"], ["vae", "bce"], ["conv", "bce"]] as const) {
      const ae = MODELS[name].build({ latentDim: MODELS[name].defaults.latentDim, seed: 0 });
      const step = createTrainStep(ae, { loss, lr: 1e-3 });
      const variables = ae.parameters.trainableWeights.map((w) => w.read() as tf.Variable);
      const x = tf.randomUniform([8, ...ae.inputShape], 0.01, 0.99, "float32", 8);
      const reconstruction = (o: tf.Tensor, t: tf.Tensor) => reconstructionLoss(loss, o, t);
      const ctx = { input: x, target: x, training: true, seed: 3, reconstruction };
      const byHand = step.gradients(x, { seed: 3 });
      const taped = tf.variableGrads(
        () => ae.loss ? ae.loss(ctx) : reconstruction(ae.reconstruct(x, true, 3), x),
        variables,
      );
      assertAllClose(await byHand.value.data(), await taped.value.data(), { msg: `${name} loss` });
      for (const v of Object.keys(taped.grads)) {
        assertAllClose(await byHand.grads[v].data(), await taped.grads[v].data(), {
          rel: 1e-3,
          abs: 1e-6,
          msg: `${name} ${v}`,
        });
      }
      tf.dispose([byHand.value, byHand.grads, taped.value, taped.grads, x]);
    }
  },
});
