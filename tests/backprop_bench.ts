/**
 * A training step (gradients and Adam) with the gradients by hand against
 * the same step through tfjs's tape, on the wasm backend: the dense AE on a
 * replica's 128 rows and the whole 256, the VAE on 64 and 32 rows, and the
 * conv AE on 128 and 64 images.
 *
 * ```sh
 * deno bench --allow-read --allow-sys=loadavg tests/backprop_bench.ts
 * ```
 *
 * @module
 */
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { MODELS } from "../src/models/registry.ts";
import { reconstructionLoss } from "../src/train/losses.ts";
import { createTrainStep } from "../src/train/step.ts";
import type { LossName } from "../src/models/model.ts";
import { printLoad } from "./_bench_context.ts";

await initBackend({ backend: "wasm" });
printLoad();

const cases: [string, LossName, number][] = [
  ["dense", "mse", 128],
  ["dense", "mse", 256],
  ["vae", "bce", 64],
  ["vae", "bce", 32],
  ["conv", "bce", 128],
  ["conv", "bce", 64],
];
for (const [name, loss, rows] of cases) {
  const spec = MODELS[name];
  const ae = spec.build({ latentDim: spec.defaults.latentDim, seed: 0 });
  const step = createTrainStep(ae, { loss, lr: 1e-3 });
  const variables = ae.parameters.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.randomUniform([rows, ...ae.inputShape], 0.01, 0.99, "float32", 0);
  const reconstruction = (o: tf.Tensor, t: tf.Tensor) => reconstructionLoss(loss, o, t);
  const taped = () =>
    tf.variableGrads(
      () =>
        ae.loss
          ? ae.loss({ input: x, target: x, training: true, seed: 1, reconstruction })
          : reconstruction(ae.reconstruct(x, true, 1), x),
      variables,
    );
  const update = ({ value, grads }: { value: tf.Scalar; grads: tf.NamedTensorMap }) => {
    step.optimizer.step(grads);
    tf.dispose([value, grads]);
  };
  const group = `${name} AE, a ${rows}-sample step with Adam`;
  const n = name === "conv" ? 40 : 200;
  Deno.bench("gradients by hand", { group, baseline: true, warmup: 20, n }, () => {
    update(step.gradients(x, { seed: 1 }));
  });
  Deno.bench("gradients through the tape", { group, warmup: 20, n }, () => {
    update(taped());
  });
}
