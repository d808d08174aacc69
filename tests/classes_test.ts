/** Class selection: --train-classes / --exclude-classes keep or drop training classes, the test set keeps all. */
import { assert, assertEquals, assertRejects, thrownMessage as message } from "./_assert.ts";
import { parseClassList, selectClasses } from "../src/data/classes.ts";
import { loadMnist } from "../src/data/mnist.ts";
import { parseTrainArgs } from "../src/cli/train_args.ts";
import { resolveConfig } from "../src/train/config.ts";
import type { Dataset } from "../src/data/dataset.ts";

const toy: Dataset = {
  images: Float32Array.from({ length: 5 * 2 }, (_, i) => i),
  labels: Uint8Array.of(0, 1, 2, 1, 0),
  count: 5,
  height: 1,
  width: 2,
  channels: 1,
};

Deno.test("keep selects the classes' samples in their order, images and labels together", () => {
  const kept = selectClasses(toy, { keep: [1] });
  assertEquals([kept.count, [...kept.labels], [...kept.images]], [2, [1, 1], [2, 3, 6, 7]]);
  const dropped = selectClasses(toy, { drop: [0, 2] });
  assertEquals([...dropped.images], [...kept.images]);
  assertEquals(selectClasses(toy, {}), toy);
});

Deno.test("an absent class, both lists, or nothing left is an error naming the classes", () => {
  assert(message(() => selectClasses(toy, { keep: [7] })).includes("class 7 does not occur"));
  assert(message(() => selectClasses(toy, { keep: [7] })).includes("classes: 0, 1, 2"));
  assert(message(() => selectClasses(toy, { keep: [1], drop: [0] })).includes("not both"));
  assert(message(() => selectClasses(toy, { drop: [0, 1, 2] })).includes("leaves no samples"));
});

Deno.test("class lists parse from the command line, and bad ones name the flag", () => {
  assertEquals(parseClassList("3, 5,3", "--train-classes"), [3, 5]);
  for (const bad of ["", "3,", "a", "-1", "2.5", "256"]) {
    let message = "";
    try {
      parseClassList(bad, "--train-classes");
    } catch (e) {
      message = (e as Error).message;
    }
    assert(message.startsWith(`--train-classes ${bad}:`), `${bad}: ${message}`);
  }
});

Deno.test("the train command line takes either list, recorded in the run's config", () => {
  const cmd = parseTrainArgs(["conv", "--train-classes", "3,5"]);
  assert(cmd.kind === "train");
  assertEquals(cmd.options.trainClasses, [3, 5]);
  const config = resolveConfig(cmd.options);
  assertEquals([config.trainClasses, config.excludeClasses], [[3, 5], null]);
  const drop = parseTrainArgs(["dense", "--exclude-classes", "9"]);
  assert(drop.kind === "train");
  assertEquals(resolveConfig(drop.options).excludeClasses, [9]);
  let message = "";
  try {
    parseTrainArgs(["conv", "--train-classes", "3", "--exclude-classes", "9"]);
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("not both"), message);
});

Deno.test("loadMnist trains on the kept classes only while the test set keeps all ten", async () => {
  const { train, test } = await loadMnist({ trainClasses: [3], testSize: 500 });
  assertEquals(train.count, 6131); // MNIST's training 3s
  assert(train.labels.every((l) => l === 3));
  assertEquals(new Set(test.labels).size, 10);
  const without = await loadMnist({ excludeClasses: [9], testSize: 10 });
  assertEquals(without.train.count, 60000 - 5949);
  assert(without.train.labels.every((l) => l !== 9));
  const some = await loadMnist({ trainClasses: [3, 5], trainSize: 100, seed: 1 });
  assert(some.train.count === 100 && some.train.labels.every((l) => l === 3 || l === 5));
  await assertRejects(
    () => loadMnist({ trainClasses: [3], trainSize: 7000 }),
    "training images of the selected classes",
  );
});
