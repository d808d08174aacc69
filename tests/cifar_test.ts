/**
 * CIFAR-10 binary batches (`src/data/cifar.ts`): records written here in the
 * format's own layout (a label byte, then 1,024 red, 1,024 green and 1,024
 * blue bytes, row by row), read back as 32x32 RGB images with channels last,
 * with class names from `batches.meta.txt`, the test batch as the test set,
 * and one error naming the file and byte offset for a cut or mislabelled file.
 */
import { assert, assertEquals, assertRejects, thrownMessage } from "./_assert.ts";
import { CIFAR_RECORD, decodeCifar, isCifarFolder, loadCifar } from "../src/data/cifar.ts";
import { sampleSize } from "../src/data/dataset.ts";

const ROOT = ".tmp/cifar_test";
const NAMES = [
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
];

/** Pixel (y, x) of channel c of record r, as the test writes it. */
const pixel = (r: number, c: number, y: number, x: number) => (r * 7 + c * 50 + y * 3 + x) % 256;

/** `count` records starting at record `from`, labels `from + i` mod 10, in CIFAR's planar layout. */
function records(from: number, count: number): Uint8Array {
  const out = new Uint8Array(count * CIFAR_RECORD);
  for (let i = 0; i < count; i++) {
    const r = from + i, at = i * CIFAR_RECORD;
    out[at] = r % 10;
    for (let c = 0; c < 3; c++) {
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) out[at + 1 + c * 1024 + y * 32 + x] = pixel(r, c, y, x);
      }
    }
  }
  return out;
}

async function folder(name: string, files: Record<string, Uint8Array | string>): Promise<string> {
  const dir = `${ROOT}/${name}`;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  await Deno.mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    if (typeof content === "string") await Deno.writeTextFile(`${dir}/${file}`, content);
    else await Deno.writeFile(`${dir}/${file}`, content);
  }
  return dir;
}

Deno.test("batches are read in order as 32x32 RGB, channels last, with meta's class names", async () => {
  const dir = await folder("full", {
    "data_batch_1.bin": records(0, 4),
    "data_batch_2.bin": records(4, 3),
    "test_batch.bin": records(100, 2),
    "batches.meta.txt": NAMES.join("\n") + "\n\n",
  });
  assert(await isCifarFolder(dir));
  const { train, test, description } = await loadCifar(dir);
  assertEquals([train.count, test.count, train.height, train.width, train.channels], [
    7,
    2,
    32,
    32,
    3,
  ]);
  assertEquals([...train.labels], [0, 1, 2, 3, 4, 5, 6]);
  assertEquals(train.classNames, NAMES);
  assert(train.images instanceof Uint8Array);
  const n = sampleSize(train);
  for (const [set, index, r] of [[train, 5, 5], [test, 1, 101]] as const) {
    for (const [y, x] of [[0, 0], [7, 19], [31, 31]]) {
      const at = index * n + (y * 32 + x) * 3;
      assertEquals(
        [...set.images.subarray(at, at + 3)],
        [0, 1, 2].map((c) => pixel(r, c, y, x)),
        `record ${r} at (${y}, ${x})`,
      );
    }
  }
  for (
    const part of ["data_batch_1.bin, data_batch_2.bin, test_batch.bin", "airplane", "test batch"]
  ) {
    assert(description.includes(part), `${description} says ${part}`);
  }
});

Deno.test("without test_batch.bin or meta: a seeded test split and classes 0-9", async () => {
  const dir = await folder("no_test", { "data_batch_1.bin": records(0, 10) });
  const { train, test, description } = await loadCifar(dir, { testSplit: 0.3, seed: 2 });
  assertEquals([train.count, test.count, train.classNames], [7, 3, undefined]);
  assert(description.includes("a seeded 30% is the test set"), description);
});

Deno.test("a cut file, a label beyond the class names and an empty folder are one error each", async () => {
  const cut = records(0, 3).subarray(0, 2 * CIFAR_RECORD + 100);
  assertEquals(
    thrownMessage(() => decodeCifar(cut, { source: "b.bin", classes: 10 })),
    `b.bin: ${2 * CIFAR_RECORD + 100} bytes is not a multiple of 3073 (a label byte and ` +
      `32x32x3 pixels per record): the record at byte ${2 * CIFAR_RECORD} is cut short`,
  );
  const bad = records(0, 3);
  bad[2 * CIFAR_RECORD] = 12;
  assert(
    thrownMessage(() => decodeCifar(bad, { source: "b.bin", classes: 10 })).startsWith(
      `b.bin: at byte ${2 * CIFAR_RECORD}: label 12 of record 2; expected 0-9`,
    ),
  );
  const fewNames = await folder("few_names", {
    "data_batch_1.bin": records(0, 5),
    "batches.meta.txt": "a\nb\nc\n",
  });
  await assertRejects(() => loadCifar(fewNames), "data_batch_1.bin: at byte 9219: label 3", "0-2");
  const cutFile = await folder("cut", { "test_batch.bin": cut.slice() });
  await assertRejects(
    () => loadCifar(cutFile),
    `${cutFile}/test_batch.bin:`,
    "not a multiple of 3073",
  );
  const empty = await folder("empty", {});
  assert(!(await isCifarFolder(empty)));
  await assertRejects(() => loadCifar(empty), `${empty}: no CIFAR-10 batches`);
});
