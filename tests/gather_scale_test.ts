/**
 * The gather-and-scale kernel equals its TS reference bit for bit: every byte
 * value, both scales, batches in any order and with repeats, samples smaller
 * and larger than the kernel's buffer; bad indices are refused.
 */
import { assert, assertEquals, assertThrows, thrownMessage } from "./_assert.ts";
import { gatherScale } from "../src/data/gather_scale.ts";
import { gatherReference } from "./_gather_reference.ts";
import { Rng } from "../src/random.ts";

function randomBytes(n: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rng.uniform() * 256));
}

function randomIndices(n: number, count: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Math.floor(rng.uniform() * count));
}

Deno.test("every byte value scales exactly as the reference, in both scales", () => {
  const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
  for (const scale of ["unit", "symmetric"] as const) {
    const got = gatherScale(bytes, [0], { size: 256, scale });
    assertEquals(got, gatherReference(bytes, [0], { size: 256, scale }), scale);
  }
  assertEquals(gatherScale(bytes, [0], { size: 256 })[255], 1);
  assertEquals(gatherScale(bytes, [0], { size: 256, scale: "symmetric" })[0], -1);
});

Deno.test("batches of MNIST-sized samples, shuffled and repeated, equal the reference", () => {
  const size = 784, count = 500;
  const bytes = randomBytes(size * count, 1);
  const indices = randomIndices(700, count, 2); // more than fits the kernel's buffer at once
  assertEquals(
    gatherScale(bytes, indices, { size }),
    gatherReference(bytes, indices, { size }),
  );
  assertEquals(gatherScale(bytes, [], { size }).length, 0);
});

Deno.test("sizes that are not multiples of 16, and samples larger than the kernel's buffer", () => {
  for (const size of [1, 3, 17, 3072, 300_001]) {
    const count = Math.max(2, Math.floor(300_000 / size));
    const bytes = randomBytes(size * count, size);
    const indices = randomIndices(5, count, size + 1);
    for (const scale of ["unit", "symmetric"] as const) {
      const got = gatherScale(bytes, indices, { size, scale });
      const want = gatherReference(bytes, indices, { size, scale });
      assert(got.every((v, i) => v === want[i]), `size ${size}, ${scale}`);
    }
  }
});

Deno.test("an index outside the samples is a RangeError", () => {
  const bytes = new Uint8Array(6);
  for (const bad of [3, -1, 0.5, NaN]) {
    assert(assertThrows(() => gatherScale(bytes, [0, bad], { size: 2 })) instanceof RangeError);
  }
});

Deno.test("gatherScale refuses an `out` that is not the batch's size", () => {
  const bytes = new Uint8Array(4 * 3);
  assertEquals(
    thrownMessage(() => gatherScale(bytes, [0, 1], { size: 3, out: new Float32Array(5) })),
    "gatherScale: out holds 5 values, not 6",
  );
});
