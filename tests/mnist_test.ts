/** loadMnist: the packaged MNIST, folders of raw or gzip files, subsets, and mismatched files. */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { fflate } from "../src/deps.ts";
import { loadMnist, MNIST_FILES } from "../src/data/mnist.ts";
import { floatImages, gather } from "../src/data/dataset.ts";

async function folder(files: Record<string, Uint8Array>): Promise<string> {
  await Deno.mkdir(".tmp", { recursive: true });
  const dir = await Deno.makeTempDir({ dir: ".tmp", prefix: "mnist_" });
  for (const [name, bytes] of Object.entries(files)) await Deno.writeFile(`${dir}/${name}`, bytes);
  return dir;
}

function idx(shape: number[], fill = 7): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(4 + 4 * shape.length + n).fill(fill);
  const v = new DataView(out.buffer);
  out.set([0, 0, 8, shape.length]);
  shape.forEach((d, i) => v.setUint32(4 + 4 * i, d));
  return out;
}

Deno.test("MNIST keeps its bytes: the training images are 47,040,000 bytes of Uint8Array, not 188 MB of float32", async () => {
  const { train, test } = await loadMnist();
  assert(train.images instanceof Uint8Array && test.images instanceof Uint8Array);
  assertEquals([train.images.byteLength, test.images.byteLength], [47_040_000, 7_840_000]);
  const batch = gather(train, [59_999, 0]);
  assertEquals(batch.length, 2 * 784);
  assertEquals(batch[784 + 152], Math.fround(train.images[152] / 255), "scaled as gathered");
});

Deno.test("the packaged MNIST: 60k/10k, 28x28, labels 0-9, seeded subsets", async () => {
  const { train, test } = await loadMnist({ trainSize: 1000, testSize: 300, seed: 3 });
  assertEquals([train.count, train.height, train.width, test.count], [1000, 28, 28, 300]);
  assertEquals(train.images.length, 1000 * 784);
  assert(train.labels.every((l) => l <= 9));
  assertEquals(new Set(train.labels).size, 10);
  const again = await loadMnist({ trainSize: 1000, testSize: 300, seed: 3 });
  assertEquals(again.train.labels, train.labels);
  const other = await loadMnist({ trainSize: 1000, testSize: 300, seed: 4 });
  assert(other.train.labels.some((l, i) => l !== train.labels[i]), "another seed, another subset");
});

Deno.test("a folder with a mix of raw and gzip files loads, in [-1,1] when asked", async () => {
  const dir = await folder({
    [MNIST_FILES.trainImages + ".gz"]: fflate.gzipSync(idx([3, 4, 5], 255)),
    [MNIST_FILES.trainLabels]: idx([3], 1),
    [MNIST_FILES.testImages]: idx([2, 4, 5], 0),
    [MNIST_FILES.testLabels + ".gz"]: fflate.gzipSync(idx([2], 2)),
  });
  const { train, test } = await loadMnist({ dir, scale: "symmetric" });
  assertEquals([train.count, train.height, train.width, test.count], [3, 4, 5, 2]);
  assertEquals([train.images[0], test.images[0]], [255, 0], "the bytes, as stored");
  assertEquals([floatImages(train)[0], floatImages(test)[0]], [1, -1], "gathered in [-1, 1]");
  assertEquals([...test.labels], [2, 2]);
});

Deno.test("images and labels of different counts are refused, naming both files", async () => {
  const dir = await folder({
    [MNIST_FILES.trainImages]: idx([3, 4, 5]),
    [MNIST_FILES.trainLabels]: idx([4]),
    [MNIST_FILES.testImages]: idx([2, 4, 5]),
    [MNIST_FILES.testLabels]: idx([2]),
  });
  await assertRejects(() => loadMnist({ dir }), "3 images", "4 labels", MNIST_FILES.trainLabels);
});

Deno.test("a missing file is named, with the files expected", async () => {
  const dir = await folder({ [MNIST_FILES.trainImages]: idx([3, 4, 5]) });
  await assertRejects(
    () => loadMnist({ dir }),
    MNIST_FILES.trainLabels,
    "expected the four standard files",
  );
});

Deno.test("labels given where images belong are refused", async () => {
  const dir = await folder({
    [MNIST_FILES.trainImages]: idx([3]),
    [MNIST_FILES.trainLabels]: idx([3]),
    [MNIST_FILES.testImages]: idx([2, 4, 5]),
    [MNIST_FILES.testLabels]: idx([2]),
  });
  await assertRejects(() => loadMnist({ dir }), "rank 3");
});
