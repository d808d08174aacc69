/**
 * Models of any input shape: every model builds for the samples it takes
 * (8x8 grey, 32x32 RGB, 28x28 grey, rows of 20 features), reconstructs them
 * in their own shape and trains a step; the convolutional ones refuse what
 * they cannot take with a message saying what they take. A run's settings
 * follow its data: the shape, a linear output and MSE for unbounded values,
 * an error for BCE on them, the classes, deepconv's code size.
 */
import { assert, assertEquals, thrownMessage } from "./_assert.ts";
import { MODELS } from "../src/models/registry.ts";
import type { BuildOptions } from "../src/models/model.ts";
import { initBackend } from "../src/backend/backend.ts";
import { tf } from "../src/deps.ts";
import { createTrainStep } from "../src/train/step.ts";
import { resolveConfig } from "../src/train/config.ts";
import { fitConfigToData, recordedShape, sampleShape } from "../src/train/input_shape.ts";
import { Rng } from "../src/random.ts";
import { Batches } from "../src/train/batches.ts";
import { UserError } from "../src/errors.ts";

const SHAPES = { "8x8x1": [8, 8, 1], "32x32x3": [32, 32, 3], "28x28x1": [28, 28, 1], "D=20": [20] };
type ShapeName = keyof typeof SHAPES;

/** Which shapes each model refuses; every other one it must take. */
const REFUSED: Record<string, ShapeName[]> = {
  conv: ["D=20"],
  deepconv: ["8x8x1", "32x32x3", "D=20"],
  tconv: ["8x8x1", "D=20"],
};

function options(name: string, inputShape: number[]): BuildOptions {
  const spec = MODELS[name];
  const latentDim = spec.latentDimFor?.(inputShape) ?? Math.min(spec.defaults.latentDim, 16);
  return { latentDim, seed: 0, width: 4, pretrainEpochs: 1, epochs: 1, inputShape, classes: 3 };
}

for (const [name, spec] of Object.entries(MODELS)) {
  Deno.test(`${name}: builds, reconstructs in the input's shape and trains a step on each shape it takes, refuses the others`, async () => {
    await initBackend({ backend: "cpu" });
    for (const [shapeName, shape] of Object.entries(SHAPES) as [ShapeName, number[]][]) {
      if (REFUSED[name]?.includes(shapeName)) {
        assert(spec.refuses?.(shape) !== undefined, `${name} says it refuses ${shapeName}`);
        const message = thrownMessage(() => spec.build(options(name, shape)));
        assert(message.startsWith(`the ${name} model takes ${spec.accepts}`), message);
        continue;
      }
      assertEquals(spec.refuses?.(shape), undefined, `${name} takes ${shapeName}`);
      const ae = spec.build(options(name, shape));
      const size = shape.reduce((a, b) => a * b, 1);
      assertEquals(ae.inputShape.reduce((a, b) => a * b, 1), size, `${name} ${shapeName} size`);
      const rng = new Rng(1);
      const x = tf.tensor(Float32Array.from({ length: 4 * size }, () => rng.uniform()), [
        4,
        ...ae.inputShape,
      ]);
      const y = ae.reconstruct(x, false);
      assertEquals(y.shape, x.shape, `${name} ${shapeName} reconstruction`);
      const step = createTrainStep(ae, { loss: "mse", lr: 1e-3 });
      const labels = tf.tensor1d([0, 1, 2, 1], "int32");
      const loss = step.run(x, { labels });
      assert(Number.isFinite((await loss.data())[0]), `${name} ${shapeName} loss`);
      tf.dispose([x, y, labels, loss]);
      ae.parameters.dispose();
    }
  });
}

Deno.test("conv pads sides that are not multiples of 4 and crops its output back; 28x28 has neither layer", async () => {
  await initBackend({ backend: "cpu" });
  const odd = MODELS.conv.build({ latentDim: 8, seed: 0, inputShape: [30, 9, 3] });
  const names = (m: typeof odd.encoder) => m.layers.map((l) => l.name);
  assertEquals(odd.encoder.layers[0].outputShape, [null, 32, 12, 3], "30x9 padded to 32x12");
  assertEquals(names(odd.decoder).at(-1), "dec_crop");
  assertEquals(odd.decoder.outputs[0].shape, [null, 30, 9, 3]);
  const mnist = MODELS.conv.build({ latentDim: 8, seed: 0 });
  assert(!names(mnist.encoder).includes("enc_pad") && !names(mnist.decoder).includes("dec_crop"));
  assertEquals(mnist.inputShape, [28, 28, 1]);
});

Deno.test("tconv's decoder starts from the maps its input's size needs (28: 4x4, 32x48: 4x6) and ends exactly at it", async () => {
  await initBackend({ backend: "cpu" });
  const at = (shape: number[]) => {
    const ae = MODELS.tconv.build({ latentDim: 4, seed: 0, width: 2, inputShape: shape });
    return [ae.decoder.getLayer("dec_unflatten").outputShape, ae.decoder.outputs[0].shape];
  };
  assertEquals(at([28, 28, 1]), [[null, 4, 4, 16], [null, 28, 28, 1]]);
  assertEquals(at([32, 48, 3]), [[null, 4, 6, 16], [null, 32, 48, 3]]);
  assertEquals(at([17, 16, 1]), [[null, 3, 2, 16], [null, 17, 16, 1]]);
});

Deno.test("deepconv takes sides of 8k + 12 with a code of 6 x k x k, names the sizes near a refused one", async () => {
  await initBackend({ backend: "cpu" });
  assertEquals(MODELS.deepconv.latentDimFor!([28, 28, 1]), 24);
  assertEquals(MODELS.deepconv.latentDimFor!([36, 20, 3]), 6 * 3 * 1);
  const ae = MODELS.deepconv.build({ latentDim: 18, seed: 0, inputShape: [36, 20, 3] });
  assertEquals(ae.decoder.outputs[0].shape, [null, 36, 20, 3]);
  const why = MODELS.deepconv.refuses!([32, 32, 3])!;
  assert(why.includes("28 or 36"), why);
  assert(thrownMessage(() => MODELS.deepconv.build({ latentDim: 16, seed: 0 })).includes("24"));
});

const table = (values: number[], width: number) => ({
  images: Float32Array.from(values),
  labels: Uint8Array.from({ length: values.length / width }, (_, i) => i % 2),
  count: values.length / width,
  height: 1,
  width,
  channels: 1,
  kind: "table" as const,
});

Deno.test("a run follows its data: shape, classes, and a linear output with MSE for unbounded values", () => {
  assertEquals(sampleShape(table([0, 1], 2)), [2]);
  assertEquals(sampleShape({ height: 32, width: 32, channels: 3 }), [32, 32, 3]);
  const standardized = table([-1.5, 2, 0.3, -0.2, 0.1, 0.9], 2);
  const vae = fitConfigToData(resolveConfig({ model: "vae" }), standardized, {});
  assertEquals([vae.inputShape, vae.unbounded, vae.loss, vae.classes], [[2], true, "mse", 2]);
  const scaled = table([0, 1, 0.3, 0.2], 2);
  const conv = fitConfigToData(resolveConfig({ model: "vae" }), scaled, {
    test: { labels: Uint8Array.of(4) },
  });
  assertEquals([conv.unbounded, conv.loss, conv.classes], [false, "bce", 5]);
  const named = { ...scaled, classNames: ["a", "b", "c"] };
  assertEquals(fitConfigToData(resolveConfig({ model: "dense" }), named, {}).classes, 3);
  // [-1, 1] is the dense model's own range.
  const symmetric = fitConfigToData(resolveConfig({ model: "dense" }), table([-1, 1], 2), {});
  assertEquals(symmetric.unbounded, false);
});

Deno.test("BCE asked for on data outside [0, 1] is an error that says why; deepconv's code follows the shape", () => {
  const standardized = table([-1.5, 2, 0.3, -0.2], 2);
  const config = resolveConfig({ model: "conv", loss: "bce" });
  let error: unknown;
  try {
    fitConfigToData({ ...config, model: "vae" }, standardized, { loss: "bce" });
  } catch (e) {
    error = e;
  }
  assert(error instanceof UserError);
  assert(/outputs in \[0, 1\].*-1\.5.* to 2\.000.*--loss mse/.test(error.message), error.message);
  const image = {
    images: new Uint8Array(36 * 36 * 3),
    labels: new Uint8Array(1),
    count: 1,
    height: 36,
    width: 36,
    channels: 3,
  };
  const deep = fitConfigToData(resolveConfig({ model: "deepconv" }), image, {}, MODELS.deepconv);
  assertEquals([deep.inputShape, deep.latentDim], [[36, 36, 3], 54]);
  const refused = thrownMessage(() =>
    fitConfigToData(resolveConfig({ model: "tconv" }), table([0, 1], 2), {}, MODELS.tconv)
  );
  assert(refused.includes("tconv model takes HxWxC images of 16x16 and up"), refused);
});

Deno.test("the shape a run was built for: recorded, else MNIST's (old runs, the packaged MNIST), unknown for new --data", () => {
  assertEquals(recordedShape({ inputShape: [32, 32, 3], data: "x" }), [32, 32, 3]);
  assertEquals(recordedShape({ data: "data/x.npy" }), [28, 28, 1]);
  assertEquals(recordedShape({ data: null }, { newRun: true }), [28, 28, 1]);
  assertEquals(recordedShape({ data: "data/x.npy" }, { newRun: true }), undefined);
});

Deno.test("noise on unbounded data: Gaussian noise is not clipped to [0, 1]; salt and pepper is refused", async () => {
  await initBackend({ backend: "cpu" });
  const rows = table(Array.from({ length: 40 }, (_, i) => 5 * Math.sin(i)), 20);
  const settings = { noise: "gaussian" as const, noiseLevel: 0.1, scale: "unit" as const };
  const values = async (unbounded: boolean) => {
    const batches = new Batches([20], { ...settings, unbounded }, 20);
    const batch = batches.make(rows, [0, 1], 3);
    const input = await batch.input.data();
    batches.dispose(batch);
    return [Math.min(...input), Math.max(...input)];
  };
  const [lo, hi] = await values(true);
  assert(lo < -4 && hi > 4, `${lo}..${hi}`);
  assertEquals(await values(false), [0, 1]);
  const config = resolveConfig({ model: "denoising", noise: "saltpepper" });
  assert(
    thrownMessage(() => fitConfigToData(config, rows, {})).includes("--noise gaussian or mask"),
  );
});

Deno.test("the log says when unbounded data changes the output and the loss", () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const data = table([-2, 3, 0.5, 0.1], 2);
  fitConfigToData(resolveConfig({ model: "vae" }), data, { log });
  fitConfigToData(resolveConfig({ model: "dense" }), data, { log });
  fitConfigToData(resolveConfig({ model: "dense" }), table([0, 1], 2), { log });
  assertEquals(lines, [
    "values from -2.000 to 3.000 are not in [0, 1]: the decoder's output is linear, and the loss MSE (instead of vae's BCE)",
    "values from -2.000 to 3.000 are not in [-1, 1]: the decoder's output is linear",
  ]);
});
