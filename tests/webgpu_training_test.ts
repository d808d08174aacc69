/**
 * Training on WebGPU, on the adapter there is (Mesa's llvmpipe here and in
 * CI; skipped with a message where there is none): a real run ends where
 * wasm's does, every model of the zoo trains, and memory stays flat. The
 * runs write no run folder (`callbacks: []`): figures are not what is tested.
 */
import { assert, assertEquals } from "./_assert.ts";
import { quick, tempRunDir } from "./_train_fixture.ts";
import { train } from "../src/train/train.ts";
import type { EpochMetrics } from "../src/train/fit.ts";
import { MODELS } from "../src/models/registry.ts";

const adapter = await navigator.gpu?.requestAdapter().catch(() => null);
if (!adapter) console.log("webgpu_training_test: no WebGPU adapter in this runtime, skipped");

const onGpu = (name: string, fn: () => Promise<void>) =>
  Deno.test({ name: `webgpu: ${name}`, ignore: !adapter, fn });

for (const model of ["conv", "vae"]) {
  onGpu(`${model}, one epoch on 2,000 images, ends within 1 % of wasm's test loss`, async () => {
    const run = async (backend: "wasm" | "webgpu") =>
      (await train(
        quick({
          model,
          backend,
          out: await tempRunDir(),
          epochs: 1,
          trainSize: 2000,
          testSize: 500,
          callbacks: [],
        }),
      ))
        .metrics[0];
    const [gpu, wasm] = [await run("webgpu"), await run("wasm")];
    assertEquals(gpu.backend, "webgpu");
    const gap = Math.abs(gpu.test_loss - wasm.test_loss) / wasm.test_loss;
    assert(gap <= 0.01, `test loss ${gpu.test_loss} on webgpu, ${wasm.test_loss} on wasm`);
  });
}

onGpu("every model of the zoo trains a few steps to a finite loss", async () => {
  for (const model of Object.keys(MODELS)) {
    const { metrics } = await train(quick({
      model,
      backend: "webgpu",
      out: await tempRunDir(),
      epochs: 1,
      trainSize: 64,
      testSize: 32,
      batchSize: 32,
      ...(model === "stacked" && { pretrainEpochs: 1 }),
      ...(model === "tconv" && { width: 4 }),
      callbacks: [],
    }));
    for (const m of metrics) {
      assert(Number.isFinite(m.train_loss) && Number.isFinite(m.test_loss), `${model}: ${m}`);
    }
  }
});

onGpu("tensors, their bytes and the GPU buffers held stay flat from epoch to epoch", async () => {
  const { metrics } = await train(quick({
    backend: "webgpu",
    out: await tempRunDir(),
    epochs: 3,
    trainSize: 200,
    testSize: 100,
    batchSize: 64,
    callbacks: [],
  }));
  const memory = (m: EpochMetrics) => [m.num_tensors, m.num_bytes, m.gpu_bytes];
  assert(
    typeof metrics[0].gpu_bytes === "number" && metrics[0].gpu_bytes > 0,
    "gpu_bytes reported",
  );
  assertEquals(memory(metrics[2]), memory(metrics[1]), `${metrics.map(memory).join(" | ")}`);
});
