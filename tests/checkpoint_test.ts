/** Checkpoints are tfjs layers models that tfjs loads back, and duplicate weight names are refused. */
import { assert, assertAllClose, assertRejects } from "./_assert.ts";
import { tf, tfl } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { MODELS } from "../src/models/registry.ts";
import { networkArtifacts } from "../src/run/run_folder.ts";

Deno.test("model.json + weights.bin load with tf.loadLayersModel and predict the same", async () => {
  await initBackend({ backend: "cpu" });
  const ae = MODELS.conv.build({ latentDim: 8, seed: 1 });
  const { json, weights } = await networkArtifacts(ae.parameters);
  const parsed = JSON.parse(json);
  assert(parsed.format === "layers-model" && parsed.weightsManifest[0].paths[0] === "weights.bin");
  const loaded = await tfl.loadLayersModel(tf.io.fromMemory({
    modelTopology: parsed.modelTopology,
    weightSpecs: parsed.weightsManifest[0].weights,
    weightData: weights.buffer as ArrayBuffer,
  }));
  const x = tf.randomUniform([2, 28, 28, 1], 0, 1, "float32", 3);
  assertAllClose(
    (loaded.predict(x) as tf.Tensor).dataSync(),
    (ae.parameters.predict(x) as tf.Tensor).dataSync(),
    { rel: 1e-6 },
  );
});

Deno.test("two layers with the same name cannot be checkpointed", async () => {
  const a = tfl.sequential({
    layers: [tfl.layers.dense({ name: "same", units: 2, inputShape: [2] })],
  });
  const b = tfl.sequential({
    layers: [tfl.layers.dense({ name: "same", units: 2, inputShape: [2] })],
  });
  const both = tfl.sequential({ layers: [a, b] });
  await assertRejects(() => networkArtifacts(both), "same/kernel", "unique name");
});
