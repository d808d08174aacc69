/**
 * Our kernels on tfjs-backend-wasm's plain memory against its shared one
 * (what kernel threads need), on one thread: a convolution of the conv AE's
 * size and a dense layer's product. Each pair shares a group, plain the
 * baseline.
 *
 * ```sh
 * deno bench --allow-read --allow-sys=loadavg tests/shared_memory_bench.ts
 * ```
 *
 * @module
 */
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { printLoad } from "./_bench_context.ts";

printLoad();

type Case = { name: string; make: () => tf.Tensor[]; run: (t: tf.Tensor[]) => tf.Tensor };
const cases: Case[] = [
  {
    name: "Conv2D, 128 x 28 x 28 x 16 into 32 channels, 3 x 3",
    make: () => [
      tf.randomUniform([128, 28, 28, 16], 0, 1, "float32", 1),
      tf.randomUniform([3, 3, 16, 32], -1, 1, "float32", 2),
    ],
    run: ([x, w]) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "same"),
  },
  {
    name: "matMul 256 x 784 . 784 x 128",
    make: () => [
      tf.randomUniform([256, 784], -1, 1, "float32", 1),
      tf.randomUniform([784, 128], -1, 1, "float32", 2),
    ],
    run: ([a, b]) => tf.matMul(a, b),
  },
];

// Switching memories restarts the backend, dropping its tensors: each bench
// makes its operands on the memory it runs on, in its first iteration.
let current: { shared: boolean; tensors: Map<string, tf.Tensor[]> } | undefined;
async function on(shared: boolean, c: Case): Promise<tf.Tensor[]> {
  if (current?.shared !== shared) {
    await initBackend({ backend: "wasm", sharedMemory: shared });
    current = { shared, tensors: new Map() };
  }
  let t = current.tensors.get(c.name);
  if (!t) current.tensors.set(c.name, t = c.make());
  return t;
}

for (const c of cases) {
  for (const shared of [false, true]) {
    Deno.bench({
      name: `${c.name}, ${shared ? "shared" : "plain"} memory`,
      group: c.name,
      baseline: !shared,
      async fn(b) {
        const t = await on(shared, c);
        b.start();
        c.run(t).dispose();
        b.end();
      },
    });
  }
}
