/**
 * The fit loop calls its callbacks in order and does nothing else: with no
 * callbacks a run writes and prints nothing; a callback can stop it; a NaN
 * loss stops it with the epoch and the steps it lies in, and what to try.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
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
  const alone = await train({ ...base, callbacks: [new EarlyStopping({ patience: 2 })] });
  assertEquals(alone.metrics.map((m) => m.val_loss), standard.metrics.map((m) => m.val_loss));
  assertEquals(alone.state.bestEpoch! + 2, alone.metrics.length, "stopped 2 epochs after the best");
  const weights = (r: typeof alone) =>
    r.autoencoder.parameters.getWeights().map((w) => [...w.dataSync()]);
  assertEquals(weights(alone), weights(standard), "the best epoch's weights, as from best/");
});
