/**
 * The wasm backend's heap, full: an allocation that does not fit throws a
 * UserError saying so and how big the heap is, where tfjs would go on with
 * address 0 and fail later as an out-of-bounds access; the heap then still
 * serves what fits.
 */
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { output } from "../src/backend/wasm_kernels/_heap.ts";
import { UserError } from "../src/errors.ts";

Deno.test("wasm: an allocation past the fixed shared heap throws a UserError naming it", async () => {
  await initBackend({ backend: "wasm", sharedMemory: true });
  // A first allocation, which puts emscripten's own allocator in place of its stub.
  tf.ones([4]).dispose();
  const before = tf.memory().numTensors;
  // 2,400 MiB of float32 in one tensor: more than the whole 2 GiB heap, never written.
  const error = assertThrows(() => output(tf.backend(), [600 * 2 ** 20]));
  assert(error instanceof UserError, `expected a UserError, got ${error}`);
  assertEquals(
    error.message,
    "the wasm backend's heap is full: 2400.0 MiB more do not fit in its fixed 2 GiB (shared, " +
      "for kernel threads; --workers 1 runs on a plain heap that grows to 4 GiB); fewer or " +
      "smaller tensors at once (a smaller batch) need less",
  );
  assertEquals(tf.tidy(() => Array.from(tf.add(tf.ones([4]), 1).dataSync())), [2, 2, 2, 2]);
  assertEquals(tf.memory().numTensors, before);
  await initBackend({ backend: "wasm" });
});
