/**
 * Datasets: seeded subsets, and held-out splits that are seeded, disjoint and
 * together the whole set.
 */
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import { type Dataset, holdOut, take } from "../src/data/dataset.ts";
import { UserError } from "../src/errors.ts";

/** 50 one-pixel images whose pixel is the sample's index, labelled index mod 10. */
function numbered(count = 50): Dataset {
  return {
    images: Float32Array.from({ length: count }, (_, i) => i),
    labels: Uint8Array.from({ length: count }, (_, i) => i % 10),
    count,
    height: 1,
    width: 1,
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
