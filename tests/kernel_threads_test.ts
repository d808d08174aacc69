/**
 * Kernel threads split products, convolutions, poolings, Adam updates,
 * elementwise kernels, column sums and the losses among workers on
 * tfjs-backend-wasm's shared heap, and the results are the one-thread results
 * bit for bit: every product shape (transposes, batches, columns that are no
 * multiple of 8, fused bias and ReLU), every convolution's passes, every
 * update size, every loss size, and whole training steps.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { startKernelThreads, threadCount } from "../src/backend/kernel_threads.ts";
import { workspaceIntact } from "../src/backend/wasm_kernels/_heap.ts";
import { Adam } from "../src/train/optimizer.ts";
import { createTrainStep } from "../src/train/step.ts";
import { MODELS } from "../src/models/registry.ts";
import { Rng } from "../src/random.ts";
import { MSE, MSE_GRAD } from "../src/backend/wasm_kernels/mse.ts";
import { BCE, BCE_GRAD } from "../src/backend/wasm_kernels/bce.ts";

const test = (name: string, fn: () => Promise<void>) =>
  Deno.test({
    name,
    fn: async () => {
      await initBackend({ backend: "wasm", sharedMemory: true });
      await fn();
    },
    sanitizeOps: false,
    sanitizeResources: false,
  });

function random(shape: number[], rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
}

/** `f`'s values with 1 thread, then with `count`; the threads stop afterwards. */
async function alone<T>(count: number, f: () => T): Promise<[T, T]> {
  const one = f();
  const threads = await startKernelThreads({ count });
  try {
    assertEquals(threadCount(tf.backend()), count);
    return [one, f()];
  } finally {
    threads.stop();
  }
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

type Product = { m: number; k: number; n: number; ta?: boolean; tb?: boolean; batch?: number[] };

const PRODUCTS: Product[] = [
  { m: 64, k: 784, n: 256 }, // a dense layer forward
  { m: 784, k: 64, n: 256, ta: true }, // its weight gradient
  { m: 64, k: 256, n: 784, tb: true }, // its input gradient
  { m: 100, k: 300, n: 100 }, // columns no multiple of 8
  { m: 37, k: 513, n: 203, ta: true, tb: true },
  { m: 33, k: 70, n: 45, batch: [3] }, // a batch, B broadcast from one matrix
  { m: 200, k: 1, n: 300 },
];

test("a product on 2 and 3 threads is the 1-thread product bit for bit", async () => {
  for (const count of [2, 3]) {
    for (const { m, k, n, ta = false, tb = false, batch = [] } of PRODUCTS) {
      const rng = new Rng(m * n + k);
      const a = random([...batch, ...(ta ? [k, m] : [m, k])], rng);
      const b = random(tb ? [n, k] : [k, n], rng);
      const [one, split] = await alone(count, () => tf.matMul(a, b, ta, tb).dataSync());
      assert(same(one, split), `${count} threads: ${m}x${k}x${n} ta ${ta} tb ${tb}`);
      assert(workspaceIntact(tf.backend()), "a thread wrote past its work area");
      tf.dispose([a, b]);
    }
  }
});

test("a fused product with bias and ReLU on 2 threads is the 1-thread one bit for bit", async () => {
  const rng = new Rng(1);
  // 256 x 136 outputs: enough that the bias and ReLU are split too.
  const [x, w, bias] = [random([256, 200], rng), random([200, 136], rng), random([136], rng)];
  const [one, split] = await alone(
    2,
    () => tf.fused.matMul({ a: x, b: w, bias, activation: "relu" }).dataSync(),
  );
  assert(same(one, split));
  assert(one.some((v) => v === 0) && one.some((v) => v > 0), "ReLU clips some, not all");
  tf.dispose([x, w, bias]);
});

test("an Adam update on 2 threads is the 1-thread update bit for bit, at every size", async () => {
  for (const size of [3, 16_384, 16_387, 100_353]) {
    const update = () => {
      const w = tf.variable(random([size], new Rng(size)));
      const opt = new Adam([w], { lr: 0.01, weightDecay: 0.1 });
      for (let i = 0; i < 3; i++) opt.step({ [w.name]: tf.mul(w, 0.5) });
      const [values, moments] = [w.dataSync(), opt.getState().moments.map((t) => t.dataSync())];
      opt.dispose();
      w.dispose();
      return [values, ...moments];
    };
    const [one, split] = await alone(2, update);
    one.forEach((values, i) => assert(same(values, split[i]), `size ${size}, array ${i}`));
  }
});

test("elementwise kernels (tanh, log, ReLU's and tanh's gradients) on 2 threads are the 1-thread ones bit for bit", async () => {
  for (const size of [16_384, 50_177]) {
    const rng = new Rng(size);
    const [x, dy] = [random([size], rng), random([size], rng)];
    const p = tf.sigmoid(x);
    const all = () =>
      [
        tf.tanh(x),
        tf.log(p),
        tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.relu(t), dy)))(x),
        tf.grad(
          (t: tf.Tensor) => tf.sum(tf.mul(tf.tanh(t), dy)),
        )(x),
      ].map((t) => t.dataSync());
    const [one, split] = await alone(2, all);
    one.forEach((values, i) => assert(same(values, split[i]), `size ${size}, op ${i}`));
    tf.dispose([x, dy, p]);
  }
});

test("column sums (bias gradients) on 2 and 3 threads are the 1-thread sums bit for bit", async () => {
  for (const count of [2, 3]) {
    for (const [rows, cols] of [[256, 784], [300, 131], [128 * 28 * 28, 16], [70, 3]]) {
      const x = random([rows, cols], new Rng(rows + cols));
      const [one, split] = await alone(count, () => tf.sum(x, 0).dataSync());
      assert(same(one, split), `${count} threads: ${rows}x${cols}`);
      assert(workspaceIntact(tf.backend()), "a thread wrote past its work area");
      x.dispose();
    }
  }
});

test("the MSE and BCE kernels on 2 and 3 threads give the 1-thread value and gradient bit for bit", async () => {
  for (const count of [2, 3]) {
    for (const n of [5, 50_177, 256 * 784, 3 * (1 << 14)]) {
      const rng = new Rng(n);
      const [x, y] = [random([n], rng), tf.sigmoid(random([n], rng))];
      const p = tf.sigmoid(x);
      const dy = tf.scalar(0.37);
      const all = () =>
        [[MSE, MSE_GRAD], [BCE, BCE_GRAD]].flatMap(([valueKernel, gradKernel]) => {
          const value = tf.engine().runKernel(valueKernel, { p, y }) as tf.Tensor;
          const grad = tf.engine().runKernel(gradKernel, { p, y, dy }) as tf.Tensor;
          return [value, grad].map((t) => {
            const data = t.dataSync();
            t.dispose();
            return data;
          });
        });
      const [one, split] = await alone(count, all);
      one.forEach((values, i) => assert(same(values, split[i]), `${count} threads, n ${n}, ${i}`));
      tf.dispose([x, y, p, dy]);
    }
  }
});

type Convolution = {
  x: number[];
  filter: number[];
  strides: number;
  pad: "same" | "valid";
  pool?: [number, number];
};

const CONVOLUTIONS: Convolution[] = [
  // The conv AE's layers: 1 -> 16 channels, then 16 -> 32, each pooled 2x2.
  { x: [6, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: "same", pool: [2, 2] },
  { x: [5, 14, 14, 16], filter: [3, 3, 16, 32], strides: 1, pad: "same", pool: [2, 2] },
  // Strided and valid, output channels no multiple of 8, an overlapping pooling.
  { x: [7, 11, 9, 4], filter: [3, 2, 4, 12], strides: 2, pad: "valid", pool: [3, 2] },
  { x: [3, 8, 8, 5], filter: [2, 2, 5, 5], strides: 1, pad: "same" },
];

test("convolutions and poolings, forward and back, on 2 and 3 threads are the 1-thread ones bit for bit", async () => {
  for (const count of [2, 3]) {
    for (const { x: xShape, filter: fShape, strides, pad, pool } of CONVOLUTIONS) {
      const rng = new Rng(xShape[0] * 100 + fShape[3]);
      const [x, filter, bias] = [
        random(xShape, rng),
        random(fShape, rng),
        random([fShape[3]], rng),
      ];
      const all = () => {
        // Conv2D, then (by its gradient) Conv2DBackpropInput and Conv2DBackpropFilter.
        const conv = (t: tf.Tensor, f: tf.Tensor) =>
          tf.conv2d(t as tf.Tensor4D, f as tf.Tensor4D, strides, pad);
        const y = tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: filter as tf.Tensor4D,
          strides,
          pad,
          bias,
          activation: "relu",
        });
        const dy = tf.sin(y);
        const [dx, df] = tf.grads((t: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(conv(t, f), dy)))([
          x,
          filter,
        ]);
        // A transposed convolution (Conv2DBackpropInput's forward use) at stride 2.
        const up = tf.conv2dTranspose(
          y as tf.Tensor4D,
          filter as tf.Tensor4D,
          [y.shape[0], y.shape[1] * 2, y.shape[2] * 2, fShape[2]],
          2,
          "same",
        );
        const pooled = pool
          ? [
            tf.maxPool(y as tf.Tensor4D, pool[0], pool[1], "valid"),
            tf.grad((t: tf.Tensor) =>
              tf.sum(tf.mul(tf.maxPool(tf.relu(t) as tf.Tensor4D, pool[0], pool[1], "valid"), 2))
            )(y),
          ]
          : [];
        const out = [y, dx, df, up, ...pooled].map((t) => t.dataSync());
        tf.dispose([y, dy, dx, df, up, ...pooled]);
        return out;
      };
      const [one, split] = await alone(count, all);
      one.forEach((values, i) =>
        assert(
          same(values, split[i]),
          `${count} threads, x ${xShape}, filter ${fShape}: output ${i}`,
        )
      );
      assert(workspaceIntact(tf.backend()), "a thread wrote past its work area");
      tf.dispose([x, filter, bias]);
    }
  }
});

test("20 training steps on 2 threads equal 20 on one, loss and weights bit for bit, with no tensor left behind", async () => {
  for (const name of ["dense", "vae", "conv"] as const) {
    const run = () => {
      const ae = MODELS[name].build({ latentDim: 2, seed: 3 });
      const step = createTrainStep(ae, { loss: name === "dense" ? "mse" : "bce", lr: 1e-3 });
      const x = tf.randomUniform([64, ...ae.inputShape], 0, 1, "float32", 5);
      const before = tf.memory().numTensors;
      const losses: number[] = [];
      for (let i = 0; i < 20; i++) {
        const loss = step.run(x, { seed: i });
        losses.push(loss.dataSync()[0]);
        loss.dispose();
      }
      const leaked = tf.memory().numTensors - before;
      const weights = ae.parameters.getWeights().flatMap((w) => [...w.dataSync()]);
      x.dispose();
      step.optimizer.dispose();
      ae.parameters.dispose();
      return { losses, weights, leaked };
    };
    const [one, split] = await alone(2, run);
    assertEquals(split.losses, one.losses);
    assert(same(one.weights, split.weights), `${name}: weights differ`);
    assertEquals([one.leaked, split.leaked], [0, 0]);
  }
});

test("stopped threads leave the kernels on one thread; threads start only on a shared wasm memory, once", async () => {
  const threads = await startKernelThreads({ count: 2 });
  await assertRejects(() => startKernelThreads({ count: 2 }), "already running");
  threads.stop();
  assertEquals(threadCount(tf.backend()), 1);
  const x = tf.ones([64, 64]);
  assertEquals(tf.matMul(x, x).dataSync()[0], 64);
  x.dispose();
  await initBackend({ backend: "wasm" });
  await assertRejects(() => startKernelThreads({ count: 2 }), "not shared", "sharedMemory");
  await initBackend({ backend: "cpu" });
  await assertRejects(() => startKernelThreads({ count: 2 }), "wasm backend");
});
