/**
 * Tensors read and made in place on the wasm heap hold exactly what
 * `dataSync` and `tf.tensor` would, on wasm and on cpu alike, and leave no
 * tensor behind.
 */
import { assertEquals } from "./_assert.ts";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { copyOut, tensorFilled } from "../src/backend/heap_tensors.ts";

function heapBytes(): number {
  const wasm = tf.backend() as unknown as { wasm: { asm: { memory: WebAssembly.Memory } } };
  return wasm.wasm.asm.memory.buffer.byteLength;
}

for (const backend of ["wasm", "cpu"] as const) {
  Deno.test(`${backend}: copyOut writes a tensor's values at an offset, tensorFilled makes one`, async () => {
    await initBackend({ backend });
    const before = tf.memory().numTensors;
    const values = Float32Array.from({ length: 15 }, (_, i) => i * 1.5 - 7);
    const t = tf.tensor(values, [3, 5]);
    const target = new Float32Array(20).fill(-1);
    copyOut(t, target, 3);
    assertEquals([...target], [-1, -1, -1, ...values, -1, -1]);
    // A tensor larger than the whole heap so far: its allocation grows the
    // heap, which must not invalidate its view.
    const heap = backend === "wasm" ? heapBytes() : 1 << 20;
    const big = tensorFilled([heap / 4 + 1], (v) => v.fill(2));
    const made = tensorFilled([3, 5], (v) => v.set(values));
    assertEquals(made.shape, [3, 5]);
    assertEquals(made.dataSync(), values);
    assertEquals(big.dataSync()[heap / 4], 2);
    tf.dispose([t, big, made]);
    assertEquals(tf.memory().numTensors, before);
  });
}

Deno.test("copyOut refuses tensors that are not float32", async () => {
  await initBackend({ backend: "wasm" });
  const t = tf.tensor([1, 2], [2], "int32");
  let message = "";
  try {
    copyOut(t, new Float32Array(2));
  } catch (e) {
    message = (e as Error).message;
  }
  t.dispose();
  assertEquals(message, "copyOut: float32 only, got int32");
});
