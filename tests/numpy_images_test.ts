/**
 * NumPy training sources: `.npy` images with `--labels`, `.npz` archives in
 * Keras' layout, the three image layouts (read from the shape, stated,
 * overridable), integer pixels / 255, a seeded test split when the source
 * has none, images of any size in grey or RGB (channels first reordered to
 * channels last), `(N, D)` tables scaled per feature on the training split,
 * and one clear error for what is not images or a table. The
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

Deno.test("images of any size: 32x32 grey, and 12x10 RGB whose NCHW and NHWC files give the same channels-last pixels", async () => {
  const grey = await loadNumpyImages(`${DIR}/images_32x32.npy`, { testSplit: 0.5 });
  assertEquals([grey.train.height, grey.train.width, grey.train.channels], [32, 32, 1]);
  const options = { seed: 1 };
  const nchw = await loadNumpyImages(`${DIR}/images_rgb_nchw_u8.npy`, options);
  const nhwc = await loadNumpyImages(`${DIR}/images_rgb_nhwc_u8.npy`, options);
  assertEquals([nchw.train.height, nchw.train.width, nchw.train.channels], [12, 10, 3]);
  assert(nchw.description.includes("layout nchw (assumed from the shape"), nchw.description);
  assert(nchw.train.images instanceof Uint8Array, "bytes kept as bytes");
  assertEquals(nchw.train.images, nhwc.train.images);
  assertEquals(nchw.test.images, nhwc.test.images);
  // Pixel (row 2, column 7) of the first training image, channel by channel, from the NCHW source.
  const raw = readNpy(await Deno.readFile(`${DIR}/images_rgb_nhwc_u8.npy`));
  const pixel = (data: ArrayLike<number | bigint>, n: number) =>
    [0, 1, 2].map((c) => Number(data[n * 360 + (2 * 10 + 7) * 3 + c]));
  const first = [...Array(10).keys()].find((n) =>
    pixel(raw.data, n).join() === pixel(nchw.train.images, 0).join()
  );
  assert(first !== undefined, "the first training image's pixel is a source pixel, channels last");
});

Deno.test("a (N, D) array is a table: features scaled per column on the training split (--normalize)", async () => {
  const { train, test, description, scaling } = await loadNumpyImages(`${DIR}/table_f8.npy`, {
    seed: 0,
  });
  assertEquals([train.kind, train.height, train.width, train.channels], ["table", 1, 6, 1]);
  assertEquals([train.count, test.count], [16, 4]);
  assertEquals(scaling.kind, "minmax");
  assert(description.includes("a table of 6 features a row"), description);
  assert(description.includes("--normalize minmax"), description);
  const values = floatImages(train);
  for (let f = 0; f < 6; f++) {
    const column = [...Array(16).keys()].map((r) => values[r * 6 + f]);
    assertEquals(
      [Math.min(...column), Math.max(...column)],
      [0, 1],
      `feature ${f} fitted on train`,
    );
  }
  const standard = await loadNumpyImages(`${DIR}/table_f8.npy`, { seed: 0, normalize: "standard" });
  const column0 = [...Array(16).keys()].map((r) => floatImages(standard.train)[r * 6]);
  const mean = column0.reduce((a, b) => a + b) / 16;
  assert(Math.abs(mean) < 1e-5, `standardized on train: mean ${mean}`);
  await assertRejects(
    () => loadNumpyImages(`${DIR}/table_f8.npy`, { layout: "nhw" }),
    "as --layout nhw says",
  );
});

Deno.test("what is neither images nor a table, and bad input, is one clear error naming the file", async () => {
  await assertRejects(
    () => loadNumpyImages(`${DIR}/images_5_channels.npy`, { layout: "nhwc" }),
    `${DIR}/images_5_channels.npy`,
    "images of 5 channels",
    "expected 1 (grey) or 3 (RGB)",
  );
  await assertRejects(
    () => loadNumpyImages(`${DIR}/images_5_channels.npy`),
    "cannot tell where the channel axis",
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
    "for the 5 samples",
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
