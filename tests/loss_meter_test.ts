/**
 * The loss meter: the image-weighted mean of an epoch's losses from one read
 * at its end, progress reads that never hold up a step, a non-finite loss
 * reported with its epoch and step range, and no tensor left behind.
 */
import { assert, assertEquals } from "./_assert.ts";
import { LossMeter, NonFiniteLossError } from "../src/train/loss_meter.ts";
import { initBackend } from "../src/backend/backend.ts";
import { watchBackend } from "../src/backend/watch.ts";
import { tf } from "../src/deps.ts";

await initBackend({ backend: "wasm" });

Deno.test("the mean weights each step by its images, from one asynchronous read and no blocking one", async () => {
  const before = tf.memory().numTensors;
  const watch = watchBackend();
  const meter = new LossMeter({ label: "epoch 1" });
  for (const [loss, n] of [[0.5, 128], [0.25, 128], [1, 64]]) await meter.add(tf.scalar(loss), n);
  assertEquals(watch.counts.reads + watch.counts.syncReads, 0, "nothing read while adding");
  assertEquals(await meter.mean(), (0.5 * 128 + 0.25 * 128 + 64) / 320);
  assertEquals(watch.stop(), { reads: 1, syncReads: 0, programs: 0 });
  assertEquals(tf.memory().numTensors, before, "no tensor left");
});

Deno.test("progress reads never hold up a step: a read that has not landed lets the steps go on", async () => {
  // Reads that land only when released: a meter that awaited one would hang here.
  const backend = tf.backend() as unknown as { read: (id: unknown) => Promise<unknown> };
  const release: (() => void)[] = [];
  backend.read = function (this: unknown, id: unknown) {
    const value = Object.getPrototypeOf(backend).read.call(this, id);
    return new Promise((resolve) => release.push(() => resolve(value)));
  };
  const seen: [number, number][] = [];
  try {
    const meter = new LossMeter({
      label: "epoch 2",
      readEvery: 2,
      onProgress: (step, loss) => seen.push([step, loss]),
    });
    for (let i = 1; i <= 6; i++) await meter.add(tf.scalar(i), 10);
    assertEquals(release.length, 1, "one read in flight at a time, started at step 2");
    assertEquals(seen, []);
    release.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    assertEquals(seen, [[2, 1.5]], "the window's mean loss");
    const mean = meter.mean();
    while (release.length === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    release.shift()!();
    assertEquals(await mean, 3.5);
  } finally {
    delete (backend as { read?: unknown }).read;
  }
});

Deno.test("a NaN loss is reported with its epoch and the steps between the reads around it", async () => {
  const windowed = new LossMeter({ label: "epoch 3", readEvery: 2 });
  const losses = [0.5, 0.4, 0.3, NaN, 0.2, 0.1, 0.1, 0.1];
  let error: unknown;
  try {
    for (const l of losses) await windowed.add(tf.scalar(l), 4);
    await windowed.mean();
  } catch (e) {
    error = e;
  }
  assert(error instanceof NonFiniteLossError, `${error}`);
  assertEquals(error.steps, [3, 4]);
  assert(
    error.message.startsWith("epoch 3, steps 3-4: the training loss became NaN"),
    error.message,
  );

  const once = new LossMeter({ label: "epoch 1" });
  for (const l of [0.5, Infinity, 0.5]) await once.add(tf.scalar(l), 4);
  const late = await once.mean().catch((e) => e);
  assert(late instanceof NonFiniteLossError && late.steps.join("-") === "1-3", `${late}`);
  assert(late.message.includes("became Infinity"), late.message);
});
