/**
 * The fit loop calls its callbacks in order and does nothing else: with no
 * callbacks a run writes and prints nothing; a callback can stop it; a NaN
 * loss stops it with the epoch and the steps it lies in, and what to try.
 * The best epoch and early stopping select on the validation set, never on
 * the test set.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { initBackend } from "../src/backend/backend.ts";
import { loadMnist } from "../src/data/mnist.ts";
import { MODELS } from "../src/models/registry.ts";
import { resolveConfig } from "../src/train/config.ts";
import { createTrainStep } from "../src/train/step.ts";
import { fit } from "../src/train/fit.ts";
import { UserError } from "../src/errors.ts";
import { tempRunDir } from "./_train_fixture.ts";
import { train } from "../src/train/train.ts";
import type { FitCallback } from "../src/train/fit.ts";
import { EarlyStopping } from "../src/train/callbacks.ts";
import { NonFiniteLossError } from "../src/train/loss_meter.ts";

const tiny = { backend: "wasm" as const, trainSize: 64, testSize: 32, batchSize: 32 };

Deno.test("wasm: callbacks hear train, epoch and batch events in order; with only them, nothing is written or printed", async () => {
  const out = `${await tempRunDir()}/never`;
  const events: string[] = [];
  const lines: string[] = [];
  const recorder: FitCallback = {
    onTrainBegin: () => void events.push("train"),
    onEpochBegin: (e) => void events.push(`epoch ${e.epoch} (${e.steps} steps)`),
    onBatchEnd: (b) => void events.push(`batch ${b.epoch}.${b.step}`),
    onEpochEnd: (e, run) => void events.push(`end ${e.metrics.epoch} ${run.state.epoch}`),
    onTrainEnd: (e) => void events.push(`done ${e.stoppedBy ?? ""}`),
  };
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    const { metrics } = await train({
      model: "conv",
      ...tiny,
      epochs: 2,
      out,
      callbacks: [recorder],
    });
    assertEquals(metrics.length, 2);
  } finally {
    console.log = original;
  }
  assertEquals(events, [
    "train",
    "epoch 1 (2 steps)",
    "batch 1.1",
    "batch 1.2",
    "end 1 1",
    "epoch 2 (2 steps)",
    "batch 2.1",
    "batch 2.2",
    "end 2 2",
    "done ",
  ]);
  assertEquals(lines, [], "nothing printed");
  await assertRejects(() => Deno.stat(out), "No such file");
});

Deno.test("wasm: a callback's stop() ends training before the next epoch and reaches onTrainEnd", async () => {
  let reason: string | undefined;
  const { metrics, state } = await train({
    model: "dense",
    ...tiny,
    epochs: 5,
    callbacks: [{
      onEpochEnd: (e, run) => void (e.metrics.epoch === 2 && run.stop("enough")),
      onTrainEnd: (e) => void (reason = e.stoppedBy),
    }],
  });
  assertEquals([metrics.length, state.epoch, reason], [2, 2, "enough"]);
});

Deno.test("wasm: a diverging run stops with the epoch and step of the first NaN loss, and what to try", async () => {
  const error = await train({
    model: "vae",
    ...tiny,
    lr: 1e6,
    epochs: 3,
    callbacks: [],
  }).then(() => undefined, (e) => e);
  assert(error instanceof NonFiniteLossError, String(error));
  assert(
    /^epoch \d+, steps? [\d-]+: the training loss became (NaN|-?Infinity)/.test(error.message),
    error.message,
  );
  assert(error.message.includes("lower the learning rate"), error.message);
});

Deno.test("wasm: EarlyStopping alone (no run folder) stops and restores the best epoch's weights from memory", async () => {
  const base = {
    model: "dense",
    backend: "wasm" as const,
    trainSize: 256,
    testSize: 100,
    batchSize: 32,
    epochs: 10,
    lr: 0.03,
  };
  const standard = await train({
    ...base,
    earlyStopping: 2,
    out: await tempRunDir(),
    quiet: true,
    log: () => {},
  });
  const alone = await train({
    ...base,
    valSplit: 0.1,
    callbacks: [new EarlyStopping({ patience: 2 })],
  });
  assertEquals(alone.metrics.map((m) => m.test_loss), standard.metrics.map((m) => m.test_loss));
  assertEquals(alone.state.bestEpoch! + 2, alone.metrics.length, "stopped 2 epochs after the best");
  const weights = (r: typeof alone) =>
    r.autoencoder.parameters.getWeights().map((w) => [...w.dataSync()]);
  assertEquals(weights(alone), weights(standard), "the best epoch's weights, as from best/");
});

Deno.test("wasm: the best epoch and early stopping follow the validation loss, not the test loss", async () => {
  const backend = await initBackend({ backend: "wasm" });
  const settings = resolveConfig({ model: "dense", epochs: 5, lr: 0.01, batchSize: 32, seed: 0 });
  const { train, test } = await loadMnist({ trainSize: 320, testSize: 200, seed: 0 });
  // Validation: digits like the training data, whose loss falls as training goes. Test:
  // the same digits inverted (white background), whose loss rises as the model learns
  // dark backgrounds, so a selection on the test set would pick the first epoch.
  const validation = { ...test, count: 100, images: test.images.slice(0, 100 * 784) };
  const inverted = { ...test, images: test.images.map((b) => 255 - b) }; // MNIST keeps its bytes
  const autoencoder = MODELS.dense.build(settings);
  const { metrics, state } = await fit({
    autoencoder,
    step: createTrainStep(autoencoder, settings),
    train,
    validation,
    test: inverted,
    settings,
    backend,
    callbacks: [new EarlyStopping({ patience: 2 })],
  });
  const argmin = (key: "val_loss" | "test_loss") =>
    metrics.reduce((b, m) => (m[key]! < b[key]! ? m : b)).epoch;
  assert(
    argmin("test_loss") !== argmin("val_loss"),
    `the two sets disagree on the best epoch (val ${metrics.map((m) => m.val_loss)}, ` +
      `test ${metrics.map((m) => m.test_loss)})`,
  );
  assertEquals(state.bestEpoch, argmin("val_loss"));
  assertEquals(state.bestValLoss, Math.min(...metrics.map((m) => m.val_loss!)));
  assertEquals(
    metrics.length,
    Math.min(5, state.bestEpoch! + 2),
    "stopped by patience on validation only",
  );
});

Deno.test("wasm: without a validation set there is no best epoch, and EarlyStopping refuses to run", async () => {
  const { metrics, state } = await train({ model: "dense", ...tiny, epochs: 2, callbacks: [] });
  assertEquals(
    metrics.map((m) => "val_loss" in m),
    [false, false],
    "no val_loss without a validation set",
  );
  assertEquals([state.bestEpoch, state.bestValLoss], [undefined, undefined]);
  const error = await train({
    model: "dense",
    ...tiny,
    epochs: 2,
    callbacks: [new EarlyStopping({ patience: 1 })],
  }).then(() => undefined, (e) => e);
  assert(error instanceof UserError, String(error));
  assert(error.message.includes("validation set"), error.message);
});
