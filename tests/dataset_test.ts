/**
 * Datasets: the sample size, batches gathered (and bytes scaled) from either
 * storage type, seeded subsets, and held-out splits that are seeded, disjoint
 * and together the whole set.
 */
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import {
  type Dataset,
  floatImages,
  gather,
  holdOut,
  sampleSize,
  take,
} from "../src/data/dataset.ts";
import { UserError } from "../src/errors.ts";

/** 50 one-pixel images whose pixel is the sample's index, labelled index mod 10. */
function numbered(count = 50): Dataset {
  return {
    images: Float32Array.from({ length: count }, (_, i) => i),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
    height: 1,
    width: 1,
    channels: 1,
  };
}

Deno.test("take copies the chosen samples, labels with their images", () => {
  const part = take(numbered(), [7, 3]);
  assertEquals([...part.images, ...part.labels], [7, 3, 7, 3]);
  assertEquals(part.count, 2);
});

Deno.test("holdOut splits into disjoint parts that cover the set, seeded", () => {
  const data = numbered();
  const { rest, held } = holdOut(data, { fraction: 0.2, seed: 4 });
  assertEquals([rest.count, held!.count], [40, 10]);
  const ids = (d: Dataset) => [...d.images];
  const all = [...ids(rest), ...ids(held!)].sort((a, b) => a - b);
  assertEquals(all, ids(data), "disjoint, and together the whole set");
  assertEquals(
    rest.labels,
    Uint8Array.from(ids(rest), (i) => i % 10),
    "labels follow their images",
  );
  const again = holdOut(data, { fraction: 0.2, seed: 4 });
  assertEquals(ids(again.held!), ids(held!), "the same seed holds out the same samples");
  const other = holdOut(data, { fraction: 0.2, seed: 5 });
  assert(ids(other.held!).join() !== ids(held!).join(), "another seed, another choice");
  assertEquals(ids(held!), [...ids(held!)].sort((a, b) => a - b), "original order kept");
});

Deno.test("holdOut with fraction 0 holds out nothing; a fraction leaving a part empty is an error", () => {
  const data = numbered();
  assertEquals(holdOut(data, { fraction: 0 }), { rest: data });
  const error = assertThrows(() => holdOut(numbered(3), { fraction: 0.1, name: "validation set" }));
  assert(error instanceof UserError && error.message.includes("validation set"), String(error));
  assertThrows(() => holdOut(data, { fraction: 1 }));
});

/** Every byte value 0-255 in two-pixel RGB samples (6 values each). */
function bytes(): Dataset {
  const images = Uint8Array.from({ length: 258 }, (_, i) => i % 256);
  return { images, labels: new Uint8Array(43), count: 43, height: 1, width: 2, channels: 3 };
}

Deno.test("sampleSize is height x width x channels", () => {
  assertEquals(sampleSize({ height: 28, width: 28, channels: 1 }), 784);
  assertEquals(sampleSize(bytes()), 6);
});

Deno.test("gather scales bytes as it copies: exactly b / 255, or b / 127.5 - 1 when symmetric", () => {
  const data = bytes();
  const all = Array.from({ length: data.count }, (_, i) => i);
  const unit = gather(data, all);
  assert(unit instanceof Float32Array);
  assertEquals([...unit], Array.from(data.images, (b) => Math.fround(b / 255)));
  const symmetric = gather({ ...data, pixelScale: "symmetric" }, all);
  assertEquals([...symmetric], Array.from(data.images, (b) => Math.fround(b / 127.5 - 1)));
  assertEquals([...gather(data, [42, 0])], [...unit.subarray(252, 258), ...unit.subarray(0, 6)]);
  assertEquals(floatImages(data), unit);
});

Deno.test("gather copies float32 samples as they are; floatImages returns them unchanged", () => {
  const data = numbered();
  assertEquals([...gather(data, [9, 2, 9])], [9, 2, 9]);
  assert(floatImages(data) === data.images);
});

Deno.test("take and holdOut keep the source dtype: bytes stay bytes", () => {
  const data = bytes();
  const part = take(data, [1, 0]);
  assert(part.images instanceof Uint8Array);
  assertEquals([...part.images], [6, 7, 8, 9, 10, 11, 0, 1, 2, 3, 4, 5]);
  const { rest, held } = holdOut(data, { fraction: 0.25, seed: 1 });
  assert(rest.images instanceof Uint8Array && held!.images instanceof Uint8Array);
  assertEquals(rest.images.length + held!.images.length, data.images.length);
});

Deno.test("gather writes into `out` when given (a tensor's memory), the same values as a new array", () => {
  for (
    const images of [Uint8Array.of(0, 51, 255, 0, 7, 9), Float32Array.of(0, 0.2, 1, 0, 0.5, 0.7)]
  ) {
    const data = { images, labels: new Uint8Array(3), count: 3, height: 1, width: 2, channels: 1 };
    const out = new Float32Array(4);
    assertEquals(gather(data, [2, 0], out) === out, true);
    assertEquals([...out], [...gather(data, [2, 0])]);
  }
});
