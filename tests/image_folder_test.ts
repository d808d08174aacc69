/**
 * Image folders in torchvision's `ImageFolder` layout (`src/data/image_folder.ts`):
 * classes from sorted folder names, PNG and JPEG files of every kind decoded by
 * content, grey and RGB mixed, sizes checked or resized, the source's own
 * train/test folders or a seeded test split, and one error naming the folder
 * or file for what cannot be read. The images are the Pillow / ImageMagick
 * fixtures of `tests/fixtures/images`, copied into layouts here.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { isImageFolder, loadImageFolder } from "../src/data/image_folder.ts";
import { decodeImage } from "../src/io/image.ts";
import { sampleSize } from "../src/data/dataset.ts";

const FIXTURES = "tests/fixtures/images";
const ROOT = ".tmp/image_folder_test";

/** Lays out `files` (path under the root -> fixture name) in a fresh folder. */
async function layout(name: string, files: Record<string, string>): Promise<string> {
  const dir = `${ROOT}/${name}`;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  for (const [path, fixture] of Object.entries(files)) {
    await Deno.mkdir(`${dir}/${path.replace(/\/[^/]*$/, "")}`, { recursive: true });
    await Deno.copyFile(`${FIXTURES}/${fixture}`, `${dir}/${path}`);
  }
  return dir;
}

const MIXED = {
  "dog/1.png": "grey8.png",
  "dog/2.png": "rgba8.png",
  "dog/3.jpeg": "progressive.jpg",
  "cat/a.png": "rgb8.png",
  "cat/b.PNG": "palette.png",
  "cat/c.jpg": "baseline.jpg",
  "cat/more/d.png": "grey16.png",
  "cat/notes.txt": "make_fixtures.py",
};

Deno.test("classes are the sorted folder names; grey and colour files make an RGB uint8 dataset", async () => {
  const dir = await layout("mixed", MIXED);
  assert(await isImageFolder(dir));
  const { train, test, description } = await loadImageFolder(dir, { testSplit: 0.25, seed: 1 });
  assertEquals([train.count, test.count], [5, 2]);
  assertEquals([train.height, train.width, train.channels], [6, 7, 3]);
  assertEquals(train.classNames, ["cat", "dog"]);
  assert(train.images instanceof Uint8Array, "pixels stay bytes");
  const all = [...Array(train.count).keys()].map((i) => ({ set: train, i }))
    .concat([...Array(test.count).keys()].map((i) => ({ set: test, i })));
  const labels = all.map(({ set, i }) => set.labels[i]).sort();
  assertEquals(labels, [0, 0, 0, 0, 1, 1, 1], "4 cats (d.png found in a sub-folder), 3 dogs");
  // The grey PNG is in there, its value repeated in three channels.
  const grey = decodeImage(await Deno.readFile(`${FIXTURES}/grey8.png`)).pixels;
  const n = sampleSize(train);
  const found = all.some(({ set, i }) => {
    const img = set.images.subarray(i * n, (i + 1) * n);
    return [...grey].every((v, p) =>
      img[3 * p] === v && img[3 * p + 1] === v && img[3 * p + 2] === v
    );
  });
  assert(found, "the grey image, as RGB");
  for (const part of ["2 classes (cat, dog)", "7 files", "6x7 RGB", "pixels / 255", "25%"]) {
    assert(description.includes(part), `${description} says ${part}`);
  }
  const again = await loadImageFolder(dir, { testSplit: 0.25, seed: 1 });
  assertEquals(again.test.images, test.images, "the same seed, the same split");
});

Deno.test("train/ and test/ folders are the source's own split; --grayscale makes one channel", async () => {
  const dir = await layout("split", {
    "train/a/1.png": "rgb8.png",
    "train/a/2.png": "rgba8.png",
    "train/b/1.jpg": "baseline.jpg",
    "test/a/1.png": "palette.png",
    "test/b/1.png": "grey8.png",
  });
  const { train, test, description } = await loadImageFolder(dir, { grayscale: true });
  assertEquals([train.count, test.count, train.channels, test.channels], [3, 2, 1, 1]);
  assertEquals([...test.labels], [0, 1]);
  assertEquals(
    [...test.images.subarray(42, 84)],
    [...decodeImage(await Deno.readFile(`${FIXTURES}/grey8.png`)).pixels],
  );
  assert(description.includes(`its test split, ${dir}/test`), description);
  assert(description.includes("grey (--grayscale)"), description);
  const grey = await layout("grey", {
    "x/1.png": "grey8.png",
    "x/2.jpg": "grey.jpg",
    "y/1.png": "grey1.png",
  });
  assertEquals(
    (await loadImageFolder(grey, { testSplit: 0.34 })).train.channels,
    1,
    "all grey: one channel",
  );
});

Deno.test("images of different sizes need --image-size, which resizes every one", async () => {
  const dir = await layout("sizes", {
    "a/1.png": "rgb8.png",
    "a/2.png": "grey8.png",
    "b/1.png": "rgb8.png",
  });
  const odd = `${dir}/b/2.png`;
  // A 3x4 picture, written by ImageMagick, breaks the run of 6x7 ones.
  await Deno.copyFile(`${FIXTURES}/small.png`, odd);
  await assertRejects(
    () => loadImageFolder(dir),
    `${odd}: 3x4 image, but ${dir}/a/1.png is 6x7: give --image-size HxW`,
  );
  const { train, test } = await loadImageFolder(dir, { imageSize: "8x8", testSplit: 0.25 });
  assertEquals([train.height, train.width, train.channels, train.count + test.count], [8, 8, 3, 4]);
});

Deno.test("an empty folder, a class without images and a corrupt file are one error each", async () => {
  await Deno.mkdir(`${ROOT}/empty`, { recursive: true });
  await assertRejects(() => loadImageFolder(`${ROOT}/empty`), `${ROOT}/empty: no class folders`);
  const noImages = await layout("no_images", {
    "a/1.png": "rgb8.png",
    "b/notes.txt": "make_fixtures.py",
  });
  await assertRejects(() => loadImageFolder(noImages), `${noImages}/b: no images: expected .png`);
  const corrupt = await layout("corrupt", { "a/1.png": "rgb8.png", "b/1.png": "truncated.png" });
  await assertRejects(() => loadImageFolder(corrupt), `${corrupt}/b/1.png: at byte 33:`);
  const badJpeg = await layout("bad_jpeg", { "a/1.png": "rgb8.png", "b/1.jpg": "corrupt.jpg" });
  await assertRejects(() => loadImageFolder(badJpeg), `${badJpeg}/b/1.jpg: corrupt JPEG`);
  assert(!(await isImageFolder(`${ROOT}/empty`)));
});
