/**
 * What the benches read from `tf.profile`: the kernels alone, without the
 * scopes listed around them (whose times include their kernels').
 */
import { assertEquals } from "./_assert.ts";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { profiledKernels } from "../src/backend/watch.ts";

Deno.test("profiledKernels keeps kernels and drops ops' scopes and a customGrad's function", async () => {
  await initBackend({ backend: "cpu" });
  const x = tf.ones([4]);
  const square = tf.customGrad((t) => {
    const t2 = t as tf.Tensor;
    return { value: tf.mul(t2, t2), gradFunc: (dy) => tf.mul(dy, tf.mul(t2, 2)) };
  });
  const info = await tf.profile(() => tf.sum(square(tf.add(x, 1))));
  const all = info.kernels.map((k) => k.name);
  assertEquals(all.length > profiledKernels(info).length, true, all.join(" "));
  assertEquals(profiledKernels(info).map((k) => k.name), ["Add", "Multiply", "Sum"]);
  x.dispose();
});
