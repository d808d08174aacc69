/** The one-class protocol: training sees only the normal class, the AUC is over the whole test split. */
import { assert, assertEquals } from "./_assert.ts";
import { detectorSettings, ONE_CLASS_DETECTOR, oneClassAuc } from "../src/anomaly/one_class.ts";
import { loadMnist } from "../src/data/mnist.ts";
import { getModel } from "../src/models/registry.ts";
import { SCORES } from "../src/anomaly/scores.ts";

Deno.test("a quick detector on the 1s separates them from the other digits", async () => {
  const { test } = await loadMnist({ scale: "symmetric", testSize: 600, seed: 2 });
  const result = await oneClassAuc({
    normalClass: 1,
    model: "dense",
    score: "mse",
    epochs: 3,
    batchSize: 32,
    trainSize: 300,
    backend: "cpu",
    test,
  });
  assertEquals(result.normalClass, 1);
  assert(result.auc > 0.9 && result.auc <= 1, `AUC ${result.auc}`);
  assert(result.seconds > 0);
});

Deno.test("the default detector names a model of the zoo and a score it can compute", () => {
  const spec = getModel(ONE_CLASS_DETECTOR.model);
  assert(SCORES.includes(ONE_CLASS_DETECTOR.score));
  assert(ONE_CLASS_DETECTOR.score !== "bce" || spec.defaults.scale === "unit");
});

Deno.test("another model starts from its own defaults, not the default detector's", () => {
  assertEquals(detectorSettings({ model: "dense", epochs: 5 }), {
    model: "dense",
    score: "mse",
    epochs: 5,
  });
  assertEquals(detectorSettings({ epochs: 3 }), { ...ONE_CLASS_DETECTOR, epochs: 3 });
});
