/**
 * Data-parallel training: two replicas (the main thread and a worker) give
 * the one-replica losses up to float summation order, a resumed run equals
 * the uninterrupted one for the same count, no worker leaks tensors,
 * `--workers` is chosen and parsed as documented, and a runtime where
 * workers cannot start trains on the main thread and says why.
 */
import { assert, assertAllClose, assertEquals, thrownMessage } from "./_assert.ts";
import { quick, tempRunDir } from "./_train_fixture.ts";
import { resume, train, type TrainOptions } from "../src/train/train.ts";
import type { FitCallback } from "../src/train/fit.ts";
import {
  chooseWorkers,
  MAX_AUTO,
  MIN_STEPS,
  parallelMode,
  Replicas,
  shareDataset,
} from "../src/train/parallel.ts";
import { evaluate } from "../src/train/evaluate.ts";
import { replicaBatches } from "../src/train/_replica.ts";
import { resolveConfig } from "../src/train/config.ts";
import { createTrainStep } from "../src/train/step.ts";
import { getModel } from "../src/models/registry.ts";
import { loadMnist } from "../src/data/mnist.ts";
import { initBackend } from "../src/backend/backend.ts";
import { tf } from "../src/deps.ts";
import { encode } from "../src/inference/codec.ts";
import { floatImages } from "../src/data/dataset.ts";
import { parseEmbedArgs } from "../src/cli/run_tasks_args.ts";
import { parseTrainArgs } from "../src/cli/train_args.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";

/** Every step's loss of a run, read as it goes. */
async function stepLosses(options: TrainOptions) {
  const losses: number[] = [];
  const reader: FitCallback = {
    lossReadEvery: 1,
    onBatchEnd: ({ loss }) => void (loss !== undefined && losses.push(loss)),
  };
  const result = await train({ ...options, callbacks: [reader] });
  return { losses, result };
}

function assertWithin(a: number[], b: number[], relative: number, what: string) {
  assertEquals(a.length, b.length, what);
  a.forEach((x, i) => {
    const d = Math.abs(x - b[i]) / Math.max(Math.abs(b[i]), 1e-12);
    assert(d <= relative, `${what}: step ${i + 1}: ${x} vs ${b[i]} (${(100 * d).toFixed(3)} %)`);
  });
}

for (
  const [model, extra] of [
    ["dense", { batchSize: 32, trainSize: 3200, dropout: 0.2 }],
    ["vae", { batchSize: 16, trainSize: 1600, noise: "gaussian" as const, noiseLevel: 0.2 }],
  ] as const
) {
  Deno.test(`wasm: 200 steps of ${model} on 2 workers give the 1-worker losses within 0.5 %, and no worker leaks tensors`, async () => {
    const base = { model, seed: 0, backend: "wasm" as const, epochs: 2, testSize: 100, ...extra };
    const one = await stepLosses({ ...base, workers: 1 });
    const two = await stepLosses({ ...base, workers: 2, parallel: "replicas" });
    assertEquals(one.losses.length, 200);
    assertWithin(two.losses, one.losses, 0.005, `${model} step losses`);
    const metrics = two.result.metrics;
    assertEquals(metrics.map((m) => m.workers), [2, 2]);
    assertEquals(one.result.metrics.map((m) => m.workers), [undefined, undefined]);
    assertWithin(
      metrics.map((m) => m.test_loss),
      one.result.metrics.map((m) => m.test_loss),
      0.005,
      "test loss",
    );
    const tensors = metrics.map((m) => [m.num_tensors, m.worker_num_tensors]);
    assertEquals(tensors[1], tensors[0], `tensors (main, worker) per epoch: ${tensors}`);
    assert(String(metrics[0].workers_profile).includes("worker 1 ms/step: compute"));
  });
}

Deno.test("wasm: with 2 workers, 1 epoch then --resume for a 2nd equals 2 uninterrupted epochs", async () => {
  const base = {
    model: "dense",
    backend: "wasm" as const,
    workers: 2,
    trainSize: 640,
    testSize: 100,
    batchSize: 32,
  };
  const straight = await train(quick({ ...base, out: await tempRunDir(), epochs: 2 }));
  const out = await tempRunDir();
  await train(quick({ ...base, out, epochs: 1 }));
  const resumed = await resume(out, { epochs: 2, quiet: true, log: () => {} });
  assertEquals(
    resumed.metrics.map((m) => [m.train_loss, m.test_loss, m.workers]),
    straight.metrics.map((m) => [m.train_loss, m.test_loss, m.workers]),
  );
  const weights = (r: typeof straight) =>
    r.autoencoder.parameters.getWeights().map((w) => [...w.dataSync()]);
  assertEquals(weights(resumed), weights(straight), "identical weights");
});

Deno.test("wasm: evaluation shared out among 2 replicas equals the main thread's, with its BatchNorm running statistics", async () => {
  await initBackend({ backend: "wasm" });
  const config = resolveConfig({ model: "deepconv", seed: 0, workers: 2 });
  const autoencoder = getModel("deepconv").build(config);
  const step = createTrainStep(autoencoder, config);
  const { train, test } = await loadMnist({ scale: config.scale, trainSize: 64, testSize: 2500 });
  const replicas = await Replicas.start({
    count: 2,
    config,
    train: shareDataset(train),
    autoencoder,
    step,
  });
  try {
    // Running statistics the workers' replicas were not started with.
    tf.tidy(() =>
      autoencoder.parameters.nonTrainableWeights.forEach((w, i) =>
        w.write(tf.fill(w.shape as number[], 0.5 + i / 10))
      )
    );
    const options = {
      autoencoder,
      step,
      batches: replicaBatches(autoencoder, config, test),
      seed: 7,
    };
    const alone = await evaluate(test, options);
    assertEquals(await replicas.evaluate(shareDataset(test), options), alone);
  } finally {
    replicas.stop();
    step.optimizer.dispose();
    autoencoder.parameters.dispose();
  }
});

Deno.test("wasm: encoding shared out among 2 replicas gives the main thread's codes", async () => {
  await initBackend({ backend: "wasm" });
  const config = resolveConfig({ model: "conv", seed: 3 });
  const autoencoder = getModel("conv").build(config);
  const { test } = await loadMnist({ scale: config.scale, testSize: 2345 });
  const shared = shareDataset(test);
  const replicas = await Replicas.start({ count: 2, config, train: shared, autoencoder });
  try {
    const alone = encode(autoencoder, floatImages(test));
    const both = await replicas.encode(shared, autoencoder);
    assertEquals(both.length, test.count * 64);
    assertAllClose(both, alone, { rel: 1e-6, abs: 1e-7 });
  } finally {
    replicas.stop();
    autoencoder.parameters.dispose();
  }
});

Deno.test("embed takes --workers N|auto", () => {
  const options = (args: string[]) => {
    const cmd = parseEmbedArgs(args);
    return cmd.kind === "run" ? cmd.options : undefined;
  };
  assertEquals(options(["runs/x", "--workers", "2"])?.workers, 2);
  assertEquals(options(["runs/x", "--workers", "auto"])?.workers, "auto");
  assertEquals(options(["runs/x"])?.workers, undefined);
  assert(
    thrownMessage(() => parseEmbedArgs(["runs/x", "--workers", "0"])).startsWith("--workers 0"),
  );
});

Deno.test("--workers auto on replicas: one per hardware thread on wasm, with slices of 64+ samples, for runs of 200+ steps", () => {
  const run = { backend: "wasm", batchSize: 128, steps: 4690, parallel: "replicas" as const };
  assertEquals(chooseWorkers("auto", { ...run, cores: 2 }).count, 2);
  assertEquals(chooseWorkers("auto", { ...run, cores: 16, batchSize: 1024 }).count, 8);
  assertEquals(chooseWorkers("auto", { ...run, cores: 16 }).count, 2);
  assertEquals(chooseWorkers("auto", { ...run, cores: 16, batchSize: 256 }).count, 4);
  assertEquals(chooseWorkers("auto", { ...run, cores: 2, batchSize: 64 }).count, 1);
  assert(
    chooseWorkers("auto", { ...run, cores: 2, batchSize: 64 }).reason.includes("64+ of the 64"),
  );
  assertEquals(chooseWorkers("auto", { ...run, cores: 1 }).count, 1);
  assertEquals(chooseWorkers("auto", { ...run, cores: 2, steps: MIN_STEPS - 1 }).count, 1);
  assertEquals(chooseWorkers(3, { ...run, cores: 2 }), {
    count: 3,
    mode: "replicas",
    reason: "requested with --workers 3; replicas (--parallel replicas)",
  });
  assertEquals(chooseWorkers(2, { ...run, backend: "webgpu" }).count, 1);
  assert(chooseWorkers("auto", { ...run, cores: 2 }).reason.includes("2 hardware threads"));
});

Deno.test("wasm: training on 2 kernel threads gives the 1-worker losses and test losses bit for bit, and records how it ran", async () => {
  const base = {
    model: "vae",
    seed: 0,
    backend: "wasm" as const,
    epochs: 2,
    testSize: 100,
    batchSize: 32,
    trainSize: 640,
  };
  const one = await stepLosses({ ...base, workers: 1 });
  const two = await stepLosses({ ...base, workers: 2, parallel: "kernels" });
  assertEquals(two.losses, one.losses);
  const metrics = two.result.metrics;
  assertEquals(metrics.map((m) => m.test_loss), one.result.metrics.map((m) => m.test_loss));
  assertEquals(metrics.map((m) => [m.workers, m.parallel]), [[2, "kernels"], [2, "kernels"]]);
  assertEquals(metrics[1].num_tensors, metrics[0].num_tensors);
});

Deno.test("--parallel auto: kernel threads on every hardware thread, whatever the batch and run length", () => {
  const run = { backend: "wasm", batchSize: 64, steps: 10, cores: 2 };
  assertEquals(chooseWorkers("auto", run), {
    count: 2,
    mode: "kernels",
    reason: "auto: 2 hardware threads; kernel threads",
  });
  assertEquals(chooseWorkers("auto", { ...run, cores: 16 }).count, MAX_AUTO);
  assertEquals(chooseWorkers("auto", { ...run, cores: 1 }).count, 1);
  assertEquals(chooseWorkers(2, run).mode, "kernels");
  assertEquals(chooseWorkers(2, { ...run, parallel: "replicas" }).mode, "replicas");
  assertEquals(chooseWorkers(2, { ...run, backend: "webgpu", parallel: "kernels" }).count, 1);
  assertEquals([parallelMode(undefined), parallelMode("auto")], ["kernels", "kernels"]);
  assertEquals(parallelMode("replicas"), "replicas");
});

Deno.test("--workers takes auto or a count of at least 1, also when resuming", () => {
  const options = (args: string[]) => {
    const cmd = parseTrainArgs(args);
    return cmd.kind === "help" ? undefined : cmd.options as { workers?: unknown };
  };
  assertEquals(options(["dense", "--workers", "auto"])?.workers, "auto");
  assertEquals(options(["dense", "--workers", "2"])?.workers, 2);
  assertEquals(options(["--resume", "runs/x", "--workers", "1"])?.workers, 1);
  for (const bad of ["0", "1.5", "two"]) {
    assertEquals(
      thrownMessage(() => parseTrainArgs(["dense", "--workers", bad])),
      `--workers ${bad}: expected auto or an integer of at least 1`,
    );
  }
});

Deno.test("shareDataset puts images and labels in shared memory, unchanged", () => {
  const data = {
    images: Float32Array.from([0.5, 1, 0, 0.25]),
    labels: Uint8Array.from([3]),
    count: 1,
    height: 2,
    width: 2,
    channels: 1,
  };
  const shared = shareDataset(data);
  assert(shared.images.buffer instanceof SharedArrayBuffer);
  assert(shared.labels.buffer instanceof SharedArrayBuffer);
  assertEquals([...shared.images], [...data.images]);
  assertEquals(shared.count, 1);
  assert(shareDataset(shared).images === shared.images, "shared arrays are not copied again");
});

Deno.test("where workers cannot start (no read access to the modules), training runs on the main thread and says why", async () => {
  const out = await tempRunDir();
  const run = await new Deno.Command("deno", {
    args: [
      "run",
      `--allow-read=${out},${packagedMnistDir()}`,
      `--allow-write=${out}`,
      "tasks/train.ts",
      "dense",
      "--workers",
      "2",
      "--epochs",
      "1",
      "--train-size",
      "256",
      "--test-size",
      "64",
      "--quiet",
      "--out",
      `${out}/run`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(run.stdout);
  assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
  assert(/workers: 1 \(2 asked .*could not start: .*read access/.test(stdout), stdout);
  assert(stdout.includes("done:"), stdout);
});
