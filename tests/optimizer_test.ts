/** Adam and AdamW follow torch.optim's update rule step for step, and their state round-trips. */
import { assertAllClose, assertEquals } from "./_assert.ts";
import { tf } from "../src/deps.ts";
import { Adam } from "../src/train/optimizer.ts";
import { initBackend } from "../src/backend/backend.ts";

await initBackend({ backend: "cpu" });

/** torch.optim.Adam / AdamW on one scalar parameter, in float64. */
function reference(
  w0: number,
  grads: (w: number) => number,
  steps: number,
  opts: { lr: number; wd: number; decoupled: boolean },
) {
  let w = w0, m = 0, v = 0;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const out: number[] = [];
  for (let t = 1; t <= steps; t++) {
    let g = grads(w);
    if (opts.decoupled) w *= 1 - opts.lr * opts.wd;
    else g += opts.wd * w;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const denom = Math.sqrt(v) / Math.sqrt(1 - b2 ** t) + eps;
    w -= (opts.lr / (1 - b1 ** t)) * (m / denom);
    out.push(w);
  }
  return out;
}

for (const decoupled of [false, true]) {
  Deno.test(`${decoupled ? "AdamW" : "Adam"} with weight decay matches torch's rule over 5 steps`, () => {
    const opts = { lr: 0.05, wd: 0.1, decoupled };
    const w = tf.variable(tf.scalar(1.5));
    const opt = new Adam([w], { lr: opts.lr, weightDecay: opts.wd, decoupled });
    const got: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { grads, value } = tf.variableGrads(() => tf.square(tf.sub(w, 0.3)) as tf.Scalar, [w]);
      opt.step(grads);
      tf.dispose([value, grads]);
      got.push(w.dataSync()[0]);
    }
    assertAllClose(got, reference(1.5, (x) => 2 * (x - 0.3), 5, opts), { rel: 1e-5 });
  });
}

Deno.test("state round-trips into a fresh optimizer", () => {
  const w = tf.variable(tf.tensor([1, 2, 3]));
  const a = new Adam([w]);
  const { grads } = tf.variableGrads(() => tf.sum(tf.square(w)), [w]);
  a.step(grads);
  const b = new Adam([w]);
  b.setState(a.getState());
  assertEquals(b.getState().step, 1);
  assertEquals(
    b.getState().moments.map((t) => [...t.dataSync()]),
    a.getState().moments.map((t) => [...t.dataSync()]),
  );
});

Deno.test("wasm: Adam writes over a variable's own memory when nothing shares it, with the bits of new tensors", async () => {
  await initBackend({ backend: "wasm" });
  const run = (share: boolean) => {
    const w = tf.variable(tf.linspace(-1, 1, 1001));
    const address = () =>
      (tf.backend() as unknown as {
        dataIdMap: { get(id: tf.DataId): { memoryOffset: number } };
      }).dataIdMap.get(w.dataId).memoryOffset;
    const opt = new Adam([w], { lr: 0.01, weightDecay: 0.01 });
    const step = () => tf.tidy(() => opt.step({ [w.name]: tf.mul(w, 0.5) }));
    // The first step writes new tensors: a new variable still shares its initial value's data.
    step();
    // A clone shares w's data, so the next update must leave it and write a new tensor.
    const clone = share ? tf.clone(w) : undefined;
    const kept = clone && [...clone.dataSync()];
    const before = address();
    step();
    step();
    const moved = address() !== before;
    const values = [w, ...opt.getState().moments].map((t) => [...t.dataSync()]);
    if (clone) assertEquals([...clone.dataSync()], kept);
    tf.dispose([w, clone]);
    opt.dispose();
    return { moved, values };
  };
  const inPlace = run(false), fresh = run(true);
  assertEquals([inPlace.moved, fresh.moved], [false, true]);
  assertEquals(inPlace.values, fresh.values);
});
