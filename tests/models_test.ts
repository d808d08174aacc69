/**
 * The model zoo: every model learns on a small subset on wasm; the VAE's KL,
 * the sparse KL and the contractive penalty equal their formulas; early
 * stopping stops and keeps the best epoch; resuming a multi-phase run with
 * noise and dropout equals the uninterrupted run.
 */
import { loadRun } from "../src/inference/load_run.ts";
import { assert, assertAllClose, assertClose, assertEquals } from "./_assert.ts";
import { quick, tempRunDir } from "./_train_fixture.ts";
import { resume, train } from "../src/train/train.ts";
import { MODELS } from "../src/models/registry.ts";
import { initBackend } from "../src/backend/backend.ts";
import { loadWeights } from "../src/run/run_folder.ts";
import { tf } from "../src/deps.ts";
import { normalDraws, sliceDraws } from "../src/models/_layers.ts";
import { vaeKl } from "../src/models/vae.ts";
import { sparsityKl } from "../src/models/sparse.ts";
import { jacobianPenalty } from "../src/models/contractive.ts";
import { Rng } from "../src/random.ts";

const small = { backend: "wasm" as const, trainSize: 256, testSize: 100, batchSize: 32 };

for (const name of Object.keys(MODELS)) {
  Deno.test(`wasm: ${name} learns on 256 images (its training loss falls)`, async () => {
    const out = await tempRunDir();
    const { metrics } = await train(
      quick({
        ...small,
        model: name,
        out,
        epochs: 2,
        ...(name === "stacked" && { pretrainEpochs: 1 }),
        ...(name === "tconv" && { width: 4 }),
      }),
    );
    const [a, b] = metrics.slice(-2);
    assert(b.train_loss < a.train_loss, `${name}: ${a.train_loss} -> ${b.train_loss}`);
    assert(Number.isFinite(b.test_loss), `${name}: test loss ${b.test_loss}`);
    assertEquals(metrics.at(-1)!.num_tensors, metrics.at(-2)!.num_tensors, "flat tensor count");
    if (name === "vae") {
      const m = metrics.at(-1)!;
      assertClose(m.test_loss, Number(m.reconstruction) + Number(m.kl), 1e-5 * m.test_loss);
      for (const f of ["samples.png", "manifold.png", "latent_scatter.png", "interpolation.png"]) {
        assert((await Deno.stat(`${out}/${f}`)).size > 0, `${f} written`);
      }
    }
    if (name === "stacked") {
      assertEquals(metrics.length, 3 + 2, "three pre-training epochs, then two fine-tuning");
      assert("test_accuracy" in metrics.at(-1)! && "best_test_accuracy" in metrics.at(-1)!);
    }
    if (name === "denoising") {
      const m = metrics.at(-1)!;
      assert(Number(m.psnr_denoised) > 0 && Number(m.psnr_noisy) > 0, "PSNRs reported");
    }
    if (name === "sparse") assert(Number(metrics.at(-1)!.mean_activation) > 0);
  });
}

Deno.test("the VAE's KL term is 0.5 * sum(mu^2 + exp(logvar) - logvar - 1)", async () => {
  await initBackend({ backend: "wasm" });
  const mu = [[1, 0], [0.5, -2]], logvar = [[0, 0], [Math.log(2), -1]];
  const expected = mu.map((row, i) =>
    row.reduce((s, m, j) => s + 0.5 * (m * m + Math.exp(logvar[i][j]) - logvar[i][j] - 1), 0)
  );
  const kl = vaeKl(tf.tensor2d(mu), tf.tensor2d(logvar));
  assertAllClose([...(await kl.data())], expected, { abs: 1e-6 });
  assertClose(expected[0], 0.5, 1e-12);
});

Deno.test("the sparse KL is sum_j rho log(rho / rho_j) + (1 - rho) log((1 - rho) / (1 - rho_j))", async () => {
  await initBackend({ backend: "wasm" });
  const rng = new Rng(3), n = 8, units = 5, rho = 0.05;
  const codes = Array.from({ length: n * units }, () => 0.01 + 0.9 * rng.uniform());
  let expected = 0;
  for (let j = 0; j < units; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += codes[i * units + j] / n;
    expected += rho * Math.log(rho / mean) + (1 - rho) * Math.log((1 - rho) / (1 - mean));
  }
  const kl = sparsityKl(tf.tensor2d(codes, [n, units]), rho);
  assertClose((await kl.data())[0], expected, 1e-5);
  assertClose((await sparsityKl(tf.fill([4, 3], rho), rho).data())[0], 0, 1e-6);
});

Deno.test("the contractive penalty's closed form equals ||dz/dx||_F^2 by automatic differentiation", async () => {
  await initBackend({ backend: "cpu" });
  const ae = MODELS.contractive.build({ latentDim: 6, seed: 1 });
  const rng = new Rng(5);
  const x = tf.tensor2d(Array.from({ length: 3 * 784 }, () => rng.uniform()), [3, 784]);
  const encode = (t: tf.Tensor) => ae.encoder.apply(t) as tf.Tensor2D;
  // Samples are independent, so d(sum_n z[n, j]) / dx holds row n's dz_j/dx.
  let squares = 0;
  for (let j = 0; j < 6; j++) {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.slice(encode(t), [0, j], [3, 1])))(x);
    squares += (await tf.sum(tf.square(g)).data())[0];
  }
  const kernel = ae.encoder.getLayer("enc_fc1").getWeights()[0];
  const closed = (await jacobianPenalty(encode(x), kernel).data())[0];
  assertClose(closed, squares / 3, 1e-5 * closed);
});

Deno.test("wasm: early stopping stops after <patience> epochs without a better validation loss and keeps the best", async () => {
  const out = await tempRunDir();
  const { metrics, state, autoencoder } = await train(
    quick({ ...small, model: "dense", out, epochs: 10, lr: 0.03, earlyStopping: 2 }),
  );
  const best = state.bestEpoch!;
  assertEquals(metrics.length, best + 2, `stopped 2 epochs after the best (${best})`);
  const bestLoss = Math.min(...metrics.map((m) => m.val_loss!));
  assertEquals(metrics[best - 1].val_loss, bestLoss);
  const weights = async (folder: "best" | "checkpoint") => {
    const fresh = MODELS.dense.build({ latentDim: 32, seed: 9 });
    await loadWeights(out, fresh.parameters, { folder });
    return fresh.parameters.getWeights().map((w) => [...w.dataSync()]);
  };
  const kept = autoencoder.parameters.getWeights().map((w) => [...w.dataSync()]);
  assertEquals(kept, await weights("best"), "the returned network holds the best epoch's weights");
  assert(
    JSON.stringify(kept) !== JSON.stringify(await weights("checkpoint")),
    "the last epoch's weights differ (and stay in checkpoint/ for --resume)",
  );
  const loaded = async (weights: "best" | "last") =>
    (await loadRun(out, { backend: "wasm", weights })).autoencoder.parameters.getWeights()
      .map((w) => [...w.dataSync()]);
  assertEquals(await loaded("best"), kept, "loadRun opens the best weights by default");
  assertEquals(await loaded("last"), await weights("checkpoint"));
});

Deno.test("wasm: a multi-phase run with noise and dropout, resumed across a phase boundary, equals the uninterrupted run", async () => {
  const base = {
    ...small,
    model: "stacked",
    pretrainEpochs: 1,
    dropout: 0.2,
    noise: "gaussian" as const,
    noiseLevel: 0.3,
  };
  const straight = await train(quick({ ...base, out: await tempRunDir(), epochs: 2 }));
  // No fine-tuning epochs: the run ends with pre-training, at the phase boundary.
  const out = await tempRunDir();
  await train(quick({ ...base, out, epochs: 0 }));
  const resumed = await resume(out, { epochs: 2, quiet: true, log: () => {} });
  assertEquals(
    resumed.metrics.map((m) => [m.train_loss, m.test_loss, m.test_accuracy]),
    straight.metrics.map((m) => [m.train_loss, m.test_loss, m.test_accuracy]),
  );
  const weights = (r: typeof straight) =>
    r.autoencoder.parameters.getWeights().map((w) => [...w.dataSync()]);
  assertEquals(weights(resumed), weights(straight), "identical weights");
});

Deno.test("every model reconstructs a batch in its input's shape; stacked's phases carry their own loss, metrics and lr scale", async () => {
  await initBackend({ backend: "cpu" });
  for (const spec of Object.values(MODELS)) {
    const ae = spec.build({ latentDim: spec.defaults.latentDim, seed: 0, width: 4 });
    const x = tf.zeros([2, ...ae.inputShape]);
    const y = ae.reconstruct(x, false);
    assertEquals(y.shape, [2, ...ae.inputShape], spec.name);
    tf.dispose([x, y]);
  }
  const phases = MODELS.stacked.build({ latentDim: 64, seed: 0, pretrainEpochs: 1, epochs: 1 })
    .phases!;
  assertEquals(
    phases.map((p) => [p.name, p.lrScale ?? 1, typeof p.loss, typeof p.metrics]),
    [
      ["pretrain 784-256", 1, "function", "function"],
      ["pretrain 256-128", 1, "function", "function"],
      ["pretrain 128-64", 1, "function", "function"],
      ["fine-tune", 0.5, "function", "function"],
    ],
  );
});

Deno.test("normal draws are a function of the seed, seed 0 included (tfjs takes 0 for none)", async () => {
  await initBackend({ backend: "cpu" });
  for (const seed of [0, 7]) {
    const [a, b] = [normalDraws([4, 3], seed), normalDraws([4, 3], seed)];
    assertEquals([...a.dataSync()], [...b.dataSync()]);
    // The rows of a slice are those of the whole batch.
    const part = sliceDraws([2, 3], seed, { offset: 2, total: 4 });
    assertEquals([...part.dataSync()], [...a.dataSync().slice(6)]);
    tf.dispose([a, b, part]);
  }
});
