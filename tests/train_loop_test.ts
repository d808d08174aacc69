/**
 * The training loop: it learns, writes every artifact of a run, keeps the
 * tensor count flat, resumes to exactly the uninterrupted result, and runs
 * on the wasm, cpu and WebGPU backends.
 */
import { assert, assertAllClose, assertClose, assertEquals } from "./_assert.ts";
import { quick, tempRunDir } from "./_train_fixture.ts";
import { resume, train, type TrainResult } from "../src/train/train.ts";
import type { EpochMetrics } from "../src/train/fit.ts";
import { reconstructionLoss } from "../src/train/losses.ts";
import { initBackend } from "../src/backend/backend.ts";
import { tf } from "../src/deps.ts";
import { BCE_GRAD } from "../src/backend/wasm_kernels/bce.ts";
import { watchBackend } from "../src/backend/watch.ts";

Deno.test("wasm: the conv AE's loss falls on a 2,000-image subset, and a run writes all its files", async () => {
  const out = await tempRunDir();
  const { metrics, backend } = await train(
    quick({ out, backend: "wasm", epochs: 2, trainSize: 2000, testSize: 500 }),
  );
  assertEquals(backend.name, "wasm");
  assertEquals(metrics.length, 2);
  assert(
    metrics[1].test_loss < metrics[0].test_loss,
    `test loss falls: ${metrics.map((m) => m.test_loss)}`,
  );
  assert(
    metrics[1].test_loss < 0.5,
    `test BCE ${metrics[1].test_loss} is below 0.5 after 32 steps`,
  );
  for (
    const f of [
      "config.json",
      "metrics.jsonl",
      "loss.png",
      "reconstructions.png",
      "checkpoint/model.json",
      "checkpoint/weights.bin",
      "checkpoint/optimizer.bin",
      "checkpoint/state.json",
    ]
  ) {
    assert((await Deno.stat(`${out}/${f}`)).size > 0, `${f} written`);
  }
  const lines = (await Deno.readTextFile(`${out}/metrics.jsonl`)).trim().split("\n").map((l) =>
    JSON.parse(l)
  );
  for (const key of ["epoch", "train_loss", "test_loss", "epoch_s", "images_per_s", "backend"]) {
    assert(key in lines[0], `metrics has ${key}`);
  }
  const config = JSON.parse(await Deno.readTextFile(`${out}/config.json`));
  assertEquals(config.config.batchSize, 128);
  assertEquals(config.backend.name, "wasm");
  assert(config.versions.tfjs === "4.22.0");
  const png = await Deno.readFile(`${out}/reconstructions.png`);
  assertEquals([...png.subarray(1, 4)], [80, 78, 71]);
});

Deno.test("wasm: the tensor count does not grow from epoch to epoch", async () => {
  const out = await tempRunDir();
  const { metrics } = await train(
    quick({ out, backend: "wasm", epochs: 3, trainSize: 256, testSize: 100, batchSize: 64 }),
  );
  assertEquals(
    new Set(metrics.map((m) => m.num_tensors)).size,
    1,
    `num_tensors ${metrics.map((m) => m.num_tensors)}`,
  );
});

for (const [model, loss] of [["conv", "bce"], ["dense", "mse"]] as const) {
  Deno.test(`wasm: ${model} (${loss}): 1 epoch then --resume for a 2nd equals 2 uninterrupted epochs`, async () => {
    const base = { model, backend: "wasm" as const, trainSize: 384, testSize: 100, batchSize: 64 };
    const straight = await train(quick({ ...base, out: await tempRunDir(), epochs: 2 }));
    const out = await tempRunDir();
    await train(quick({ ...base, out, epochs: 1 }));
    const resumed = await resume(out, { epochs: 2, quiet: true, log: () => {} });
    assertEquals(resumed.config.loss, loss);
    assertEquals(
      resumed.metrics.map((m) => [m.train_loss, m.test_loss]),
      straight.metrics.map((m) => [m.train_loss, m.test_loss]),
    );
    const a = straight.autoencoder.parameters.getWeights().map((w) => [...w.dataSync()]);
    const b = resumed.autoencoder.parameters.getWeights().map((w) => [...w.dataSync()]);
    assertEquals(b, a, "identical weights");
  });
}

Deno.test("wasm: an epoch reads nothing back per step: twice the steps, the same reads, none blocking", async () => {
  const reads = async (trainSize: number) => {
    await initBackend({ backend: "wasm" });
    const watch = watchBackend();
    await train(
      quick({ out: await tempRunDir(), backend: "wasm", trainSize, testSize: 32, batchSize: 16 }),
    );
    return watch.stop();
  };
  const [short, long] = [await reads(64), await reads(256)];
  assertEquals(long, short, "4 steps and 16 steps per epoch read back the same");
  assertEquals(long.syncReads, 0, "no blocking read");
});

const tiny = { epochs: 1, trainSize: 32, testSize: 32, batchSize: 16 };
let wasmRun: Promise<TrainResult> | undefined;
const onWasm = () =>
  wasmRun ??= (async () => train(quick({ ...tiny, out: await tempRunDir(), backend: "wasm" })))();

function assertSameLosses(a: EpochMetrics[], b: EpochMetrics[], rel: number) {
  for (const key of ["train_loss", "test_loss"] as const) {
    const [x, y] = [a[0][key], b[0][key]];
    assert(Math.abs(x - y) <= rel * Math.abs(y), `${key}: ${x} vs ${y} on wasm`);
  }
}

Deno.test("cpu: two small-batch steps give wasm's losses", async () => {
  const { metrics, backend } = await train(
    quick({ ...tiny, out: await tempRunDir(), backend: "cpu" }),
  );
  assertEquals(backend.name, "cpu");
  assertSameLosses(metrics, (await onWasm()).metrics, 1e-4);
});

Deno.test("cpu: two small-batch steps of the dense AE (MSE: our kernels on wasm, tfjs's ops on cpu) give wasm's losses", async () => {
  const run = async (backend: "wasm" | "cpu") =>
    await train(quick({ ...tiny, model: "dense", out: await tempRunDir(), backend }));
  const wasm = await run("wasm");
  assertEquals(wasm.config.loss, "mse");
  assertSameLosses((await run("cpu")).metrics, wasm.metrics, 1e-4);
});

Deno.test({
  name: "webgpu: two steps on the adapter there is (llvmpipe in CI) give wasm's losses",
  ignore: !(await navigator.gpu?.requestAdapter().catch(() => null)),
  fn: async () => {
    const { metrics, backend } = await train(
      quick({ ...tiny, out: await tempRunDir(), backend: "webgpu" }),
    );
    assertEquals(backend.name, "webgpu");
    assertSameLosses(metrics, (await onWasm()).metrics, 1e-3);
  },
});

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`BCE's value and gradient are torch.nn.BCELoss's on ${backend} (${backend === "wasm" ? "fused kernels" : "op chain"}), saturated outputs included (no NaN)`, async () => {
    await initBackend({ backend });
    const p = tf.tensor([0, 0.3, 1, 0.9, 0.5, 1e-30]);
    const y = tf.tensor([0.2, 1, 0.5, 0, 0.5, 1]);
    const value = reconstructionLoss("bce", p, y);
    let grad: tf.Tensor | undefined;
    const { kernelNames } = await tf.profile(() => {
      grad = tf.grad((x: tf.Tensor) => reconstructionLoss("bce", x, y))(p);
    });
    assertEquals(kernelNames.includes(BCE_GRAD), backend === "wasm", kernelNames.join(" "));
    // torch 1.13: F.binary_cross_entropy(p, y) and p.grad for these p, y.
    assertClose((await value.data())[0], 23.879541397094727, 1e-5);
    assertAllClose([...(await grad!.data())], [
      -33333331968.0,
      -0.555555522441864,
      83333332992.0,
      1.6666663885116577,
      0.0,
      -166666665984.0,
    ], { rel: 1e-6 });
    tf.dispose([p, y, value, grad!]);
  });
}
