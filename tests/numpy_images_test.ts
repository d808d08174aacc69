/**
 * NumPy training sources: `.npy` images with `--labels`, `.npz` archives in
 * Keras' layout, the three image layouts (read from the shape, stated,
 * overridable), integer pixels / 255, a seeded test split when the source
 * has none, and one clear error for what is not supported yet. The
 * fixtures were written by NumPy (`tests/fixtures/npy/make_fixtures.py`).
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { loadNumpyImages, numpyKind } from "../src/data/numpy_images.ts";
import { loadData } from "../src/data/load.ts";
import { floatImages } from "../src/data/dataset.ts";
import { readNpy } from "../src/io/npy.ts";
import { train } from "../src/train/train.ts";
import { detect } from "../src/anomaly/detect.ts";
import { tempRunDir } from "./_train_fixture.ts";

const DIR = "tests/fixtures/npy";

Deno.test("a .npy of (N, 28, 28) uint8 with int64 labels: pixels / 255, a seeded disjoint 20% test split, all said", async () => {
  const raw = readNpy(await Deno.readFile(`${DIR}/images_nhw_u8.npy`));
  const options = { labels: `${DIR}/images_labels.npy`, seed: 3 };
  const { train, test, description } = await loadNumpyImages(`${DIR}/images_nhw_u8.npy`, options);
  assertEquals([train.count, test.count, train.height, train.width], [16, 4, 28, 28]);
  // Each image is found in the source by its first row of pixels; labels travel with it.
  const sourceIndex = (images: Float32Array, i: number) => {
    const first = images.subarray(i * 784, i * 784 + 28);
    return [...Array(20).keys()].find((j) =>
      first.every((v, k) => v === Math.fround(raw.data[j * 784 + k] / 255))
    )!;
  };
  const trainIds = [...Array(16).keys()].map((i) => sourceIndex(floatImages(train), i));
  const testIds = [...Array(4).keys()].map((i) => sourceIndex(floatImages(test), i));
  assertEquals(
    [...trainIds, ...testIds].sort((a, b) => a - b),
    [...Array(20).keys()],
    "disjoint, complete",
  );
  assertEquals([...test.labels], testIds.map((j) => j % 4), "labels follow their images");
  const again = await loadNumpyImages(`${DIR}/images_nhw_u8.npy`, options);
  assertEquals(again.test.images, test.images, "the same seed, the same split");
  const other = await loadNumpyImages(`${DIR}/images_nhw_u8.npy`, { ...options, seed: 4 });
  assert(other.test.images.join() !== test.images.join(), "another seed, another split");
  for (const part of ["(20, 28, 28) uint8", "layout nhw (assumed from the shape", "/ 255", "20%"]) {
    assert(description.includes(part), `${description} says ${part}`);
  }
});

Deno.test("a Keras-style .npz keeps its own test split; (N, 1, 28, 28) float32 is read as NCHW, used as it is", async () => {
  const keras = await loadNumpyImages(`${DIR}/images_keras.npz`, {});
  assertEquals([keras.train.count, keras.test.count], [12, 8]);
  assertEquals([...keras.test.labels], [0, 1, 2, 3, 0, 1, 2, 3]);
  assert(keras.description.includes("layout nhwc") && keras.description.includes("x_test"));
  const nchw = await loadNumpyImages(`${DIR}/images_nchw_f4.npy`, { testSplit: 0.4 });
  const nhw = await loadNumpyImages(`${DIR}/images_nhw_u8.npy`, {});
  assertEquals([nchw.train.count, nchw.test.count], [3, 2]);
  assert(nchw.description.includes("layout nchw"), nchw.description);
  assertEquals([...nchw.train.labels], [0, 0, 0], "no labels: zeros, and the log says so");
  assert(nchw.description.includes("no labels"), nchw.description);
  assert(nhw.train.images instanceof Uint8Array, "uint8 pixels stay bytes");
  assert(nhw.description.includes("pixels / 255"), nhw.description);
  const all = [...floatImages(nhw.train), ...floatImages(nhw.test)];
  for (let i = 0; i < 10; i++) {
    const v = nchw.test.images[i * 50];
    assert(all.some((w) => Math.abs(w - v) < 1e-6), "float pixels in [0, 1] as they are");
  }
  const symmetric = await loadNumpyImages(`${DIR}/images_nhw_u8.npy`, { scale: "symmetric" });
  assert(floatImages(symmetric.train).every((v) => v >= -1 && v <= 1));
  assert(floatImages(symmetric.train).some((v) => v < 0));
});

Deno.test("what is not supported yet, and bad input, is one clear error naming the file", async () => {
  await assertRejects(
    () => loadNumpyImages(`${DIR}/images_32x32.npy`),
    `${DIR}/images_32x32.npy`,
    "images of 32x32",
    "shapes other than 28x28 are not supported yet",
  );
  await assertRejects(
    () => loadNumpyImages(`${DIR}/images_nhw_u8.npy`, { layout: "nchw" }),
    "as --layout nchw says",
  );
  await assertRejects(
    () => loadNumpyImages(`${DIR}/images_nhw_u8.npy`, { labels: `${DIR}/keras_test.npz` }),
    `${DIR}/keras_test.npz`,
  );
  await assertRejects(
    () => loadNumpyImages(`${DIR}/images_nchw_f4.npy`, { labels: `${DIR}/images_labels.npy` }),
    "labels of shape (20)",
    "for the 5 images",
  );
  await assertRejects(
    () => loadNumpyImages("tests/fixtures/anomaly_sklearn.json"),
    "tests/fixtures/anomaly_sklearn.json: at byte 0: expected a .npy",
  );
  await assertRejects(() => loadData({ data: `${DIR}/nothing.npy` }), "no such file");
  await assertRejects(
    () => loadData({ labels: `${DIR}/images_labels.npy` }),
    "--labels applies to .npy/.npz data",
  );
});

Deno.test("loadData tells a NumPy file from an IDX folder by content, and applies sizes and classes", async () => {
  assertEquals(numpyKind(await Deno.readFile(`${DIR}/images_nhw_u8.npy`)), "npy");
  assertEquals(numpyKind(await Deno.readFile(`${DIR}/images_keras.npz`)), "npz");
  const { train, test } = await loadData({
    data: `${DIR}/images_keras.npz`,
    trainClasses: [1, 2],
    testSize: 5,
  });
  assertEquals([train.count, test.count], [6, 5]);
  assertEquals([...new Set(train.labels)].sort(), [1, 2]);
});

Deno.test("wasm: detect reads a run trained from a .npz with the same test split, labels included", async () => {
  const out = await tempRunDir();
  await train({
    model: "dense",
    data: `${DIR}/images_keras.npz`,
    epochs: 1,
    batchSize: 4,
    backend: "wasm",
    out,
    quiet: true,
    log: () => {},
  });
  const { record } = await detect(out, { backend: "wasm", normalClasses: [0] });
  assertEquals([record.samples, record.anomalies], [8, 6]);
});
