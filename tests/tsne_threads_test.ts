/**
 * t-SNE's default thread count: the calibration's rule, its answer on this
 * machine (whatever the load, a valid count with its measurement), one thread
 * without a calibration on one hardware thread, and the embedding the same
 * on every thread count.
 */
import { assert, assertEquals } from "./_assert.ts";
import { clusters } from "./_tsne_fixtures.ts";
import {
  chooseThreads,
  decideThreads,
  MAX_THREADS,
  MIN_GAIN_PER_WORKER,
} from "../src/tsne/threads.ts";
import { tsne } from "../src/tsne/tsne.ts";

Deno.test("workers are kept when each adds at least MIN_GAIN_PER_WORKER of a thread", () => {
  const two = (speedup: number) => decideThreads({ available: 2, candidates: 2, speedup });
  assertEquals(two(1.9).threads, 2);
  assertEquals(two(1 + MIN_GAIN_PER_WORKER).threads, 2);
  assertEquals(two(1 + MIN_GAIN_PER_WORKER - 0.01).threads, 1);
  // Two vCPUs sharing one core's vector units: no gain, one thread.
  assertEquals(two(1.05).threads, 1);
  assert(
    two(1.05).reason.includes("only 2 threads ran the kNN calibration 1.05x"),
    two(1.05).reason,
  );
  assert(two(1.9).reason.includes("(2 hardware threads; workers need 1.20x)"), two(1.9).reason);
  // Four threads must make up for three workers.
  const four = (speedup: number) => decideThreads({ available: 16, candidates: 4, speedup });
  assertEquals(four(2.0).threads, 4);
  assertEquals(four(1.5).threads, 1);
});

Deno.test("one hardware thread: one t-SNE thread, no calibration", async () => {
  assertEquals(await chooseThreads({ available: 1 }), {
    threads: 1,
    reason: "1 hardware thread",
  });
});

Deno.test("the calibration measures: a count of 1 or the candidates, with the speedup it saw", async () => {
  const choice = await chooseThreads({ available: 2 });
  assert(choice.threads === 1 || choice.threads === 2, `${choice.threads}`);
  assert(choice.speedup! > 0 && Number.isFinite(choice.speedup), `${choice.speedup}`);
  assert(choice.reason.startsWith("calibration: "), choice.reason);
  assertEquals(
    choice.threads,
    decideThreads({ available: 2, candidates: 2, speedup: choice.speedup! }).threads,
  );
  const many = await chooseThreads({ available: 64 });
  assert(many.reason.includes(`${MAX_THREADS} threads ran`), many.reason);
  // The default is measured once per process.
  assertEquals(await chooseThreads(), await chooseThreads());
});

Deno.test("the embedding does not depend on the thread count (kNN and forces share out fixed units)", async () => {
  const { data } = clusters(700, 10, 5, 3);
  const options = { dims: 10, perplexity: 15, iterations: 200, seed: 4 };
  const one = await tsne(data, { ...options, threads: 1 });
  for (const threads of [2, 3]) {
    const r = await tsne(data, { ...options, threads });
    assertEquals(r.embedding, one.embedding, `${threads} threads`);
    assertEquals(r.kl, one.kl);
    assertEquals(r.threadsReason, "requested");
  }
  const byDefault = await tsne(data, options);
  assertEquals(byDefault.embedding, one.embedding);
  assertEquals(byDefault.threadsReason, (await chooseThreads()).reason);
});
