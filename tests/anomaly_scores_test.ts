/** Per-sample scores: each equals the reconstruction error computed by hand; the VAE's is its negative ELBO; bad requests are refused. */
import { assert, assertClose, assertEquals, thrownMessage as message } from "./_assert.ts";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { MODELS } from "../src/models/registry.ts";
import { anomalyScores, defaultScore } from "../src/anomaly/scores.ts";
import { reconstruct } from "../src/inference/codec.ts";
import { AnomalyDetector } from "../src/anomaly/detector.ts";
import { vaeKl } from "../src/models/vae.ts";
import { Rng } from "../src/random.ts";

function images(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * 784 }, () => rng.uniform());
}

Deno.test("mse, mae and bce are each sample's mean error over its pixels", async () => {
  await initBackend({ backend: "cpu" });
  const ae = MODELS.sparse.build({ latentDim: 16, seed: 0 });
  const x = images(7, 1);
  const recon = reconstruct(ae, x);
  for (const score of ["mse", "mae", "bce"] as const) {
    const got = anomalyScores(ae, x, { score, batchSize: 3 });
    assertEquals(got.length, 7);
    for (let i = 0; i < 7; i++) {
      let sum = 0;
      for (let j = i * 784; j < (i + 1) * 784; j++) {
        const d = recon[j] - x[j];
        sum += score === "mse"
          ? d * d
          : score === "mae"
          ? Math.abs(d)
          : -(x[j] * Math.log(recon[j]) + (1 - x[j]) * Math.log(1 - recon[j]));
      }
      assertClose(got[i], sum / 784, 1e-5, `${score} of sample ${i}`);
    }
  }
});

Deno.test("the VAE's elbo score is BCE summed over pixels plus KL, at z = mu", async () => {
  await initBackend({ backend: "cpu" });
  const ae = MODELS.vae.build({ latentDim: 3, seed: 0 });
  const x = images(4, 2);
  const elbo = anomalyScores(ae, x, { score: "elbo" });
  const bce = anomalyScores(ae, x, { score: "bce" });
  const klValues = tf.tidy(() => {
    const batch = tf.tensor(x, [4, 784]);
    const mu = ae.encoder.apply(batch) as tf.Tensor;
    const logvar = (ae.parameters.apply(batch) as tf.Tensor[])[1];
    return vaeKl(mu, logvar).dataSync();
  });
  for (let i = 0; i < 4; i++) assertClose(elbo[i], bce[i] * 784 + klValues[i], 1e-3);
  assertEquals([defaultScore("bce"), defaultScore("l1")], ["bce", "mae"]);
});

Deno.test("elbo without a VAE, bce on [-1, 1] inputs and partial samples are refused", async () => {
  await initBackend({ backend: "cpu" });
  const ae = MODELS.dense.build({ latentDim: 4, seed: 0 });
  assert(message(() => anomalyScores(ae, images(1, 0), { score: "elbo" })).includes("needs a VAE"));
  assert(
    message(() => anomalyScores(ae, images(1, 0), { score: "bce", scale: "symmetric" }))
      .includes("[0, 1]"),
  );
  assert(message(() => anomalyScores(ae, new Float32Array(785))).includes("not whole samples"));
});

Deno.test("the detector: fit sets the threshold from the training scores, predict flags above it", async () => {
  await initBackend({ backend: "cpu" });
  const ae = MODELS.sparse.build({ latentDim: 16, seed: 0 });
  const train = images(20, 3);
  const detector = new AnomalyDetector(ae, { threshold: { kind: "contamination", p: 0.25 } })
    .fit(train);
  assertEquals(detector.trainScores.length, 20);
  const flags = detector.predict(train);
  assertEquals(flags.reduce((a, b) => a + b, 0), 5, "a quarter of the training data is above");
  assertEquals(detector.threshold.rule, "contamination 0.25");
});
