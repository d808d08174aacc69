/**
 * `--data` sources told apart by content and layout (`src/data/load.ts`):
 * each kind of file or folder is recognised whatever its name, each
 * source's own options are refused for the others, and bad input is one
 * `error:` line with exit code 2 and no run folder left behind.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { loadData, sourceKind } from "../src/data/load.ts";
import { CIFAR_RECORD } from "../src/data/cifar.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";

const DIR = ".tmp/load_test";
await Deno.remove(DIR, { recursive: true }).catch(() => {});
for (const d of ["cifar", "images/a", "images/b", "nothing"]) {
  await Deno.mkdir(`${DIR}/${d}`, { recursive: true });
}
await Deno.writeFile(`${DIR}/cifar/data_batch_1.bin`, new Uint8Array(10 * CIFAR_RECORD));
await Deno.writeFile(`${DIR}/cifar/test_batch.bin`, new Uint8Array(3 * CIFAR_RECORD));
await Deno.copyFile("tests/fixtures/images/rgb8.png", `${DIR}/images/a/1.png`);
await Deno.copyFile("tests/fixtures/images/rgb8.png", `${DIR}/images/a/2.png`);
await Deno.copyFile("tests/fixtures/images/baseline.jpg", `${DIR}/images/b/1.jpg`);
await Deno.writeTextFile(`${DIR}/table.data`, "x,y,label\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n9,0,a\n");
await Deno.copyFile("tests/fixtures/npy/images_nhw_u8.npy", `${DIR}/images.csv`);
await Deno.copyFile("tests/fixtures/images/rgb8.png", `${DIR}/picture.csv`);

Deno.test("each source is recognised by content and layout, not by name", async () => {
  assertEquals(await sourceKind(packagedMnistDir()), "idx");
  assertEquals(await sourceKind(`${DIR}/cifar`), "cifar");
  assertEquals(await sourceKind(`${DIR}/images`), "images");
  assertEquals(await sourceKind(`${DIR}/table.data`), "csv");
  assertEquals(await sourceKind(`${DIR}/images.csv`), "numpy");
  await assertRejects(() => sourceKind(`${DIR}/picture.csv`), "at byte 0: unknown layout");
  await assertRejects(
    () => sourceKind(`${DIR}/nothing`),
    `${DIR}/nothing: unknown layout: expected`,
  );
  await assertRejects(() => sourceKind(`${DIR}/absent`), "no such file or folder");
});

Deno.test("loadData reads every source, with its own options and the run's selections", async () => {
  const cifar = await loadData({ data: `${DIR}/cifar`, testSize: 2 });
  assertEquals([cifar.train.count, cifar.test.count, cifar.train.channels], [10, 2, 3]);
  const images = await loadData({ data: `${DIR}/images`, imageSize: "4x4", testSplit: 0.34 });
  assertEquals([images.train.count, images.test.count, images.train.height], [2, 1, 4]);
  const table = await loadData({
    data: `${DIR}/table.data`,
    labelColumn: "label",
    trainClasses: [0],
  });
  assertEquals([table.train.kind, table.train.width, [...new Set(table.train.labels)]], [
    "table",
    2,
    [0],
  ]);
  assert(table.description!.includes("CSV table of 5 rows"), table.description);
});

Deno.test("a source's own options are refused for the others, naming what the data is", async () => {
  const cases: [object, string][] = [
    [
      { data: `${DIR}/cifar`, labelColumn: "y" },
      "--label-column applies to a CSV table; " +
      `${DIR}/cifar is a CIFAR-10 folder`,
    ],
    [{ data: `${DIR}/table.data`, imageSize: "8x8" }, "--image-size applies to an image folder"],
    [{ grayscale: true }, "--grayscale applies to an image folder; no --data was given (MNIST)"],
    [{ data: `${DIR}/images`, normalize: "standard" }, "--normalize applies to a CSV table"],
    [{ labels: "y.npy" }, "--labels applies to .npy/.npz data; no --data"],
  ];
  for (const [options, message] of cases) await assertRejects(() => loadData(options), message);
});

Deno.test("train on bad data: one error line, exit 2, no run folder", async () => {
  await Deno.writeTextFile(`${DIR}/text_cell.csv`, "a,b\n1,2\n3,x\n4,5\n");
  await Deno.mkdir(`${DIR}/corrupt/a`, { recursive: true });
  await Deno.mkdir(`${DIR}/corrupt/b`, { recursive: true });
  await Deno.copyFile("tests/fixtures/images/rgb8.png", `${DIR}/corrupt/a/1.png`);
  await Deno.copyFile("tests/fixtures/images/badcrc.png", `${DIR}/corrupt/b/1.png`);
  await Deno.mkdir(`${DIR}/cut`, { recursive: true });
  await Deno.writeFile(`${DIR}/cut/data_batch_1.bin`, new Uint8Array(CIFAR_RECORD + 5));
  const cases: [string, string][] = [
    [`${DIR}/text_cell.csv`, `${DIR}/text_cell.csv:3:2: "x" in column "b"; expected a number`],
    [`${DIR}/corrupt`, `${DIR}/corrupt/b/1.png: at byte 33: chunk IDAT's CRC`],
    [`${DIR}/cut`, `${DIR}/cut/data_batch_1.bin: 3078 bytes is not a multiple of 3073`],
    [`${DIR}/nothing`, `${DIR}/nothing: unknown layout`],
  ];
  for (const [data, message] of cases) {
    const out = `${DIR}/run_${data.replace(/\W/g, "_")}`;
    const result = await new Deno.Command("deno", {
      args: [
        "run",
        `--allow-read=.tmp,${packagedMnistDir()}`,
        "--allow-write=.tmp",
        "tasks/train.ts",
        "dense",
        "--data",
        data,
        "--out",
        out,
        "--epochs",
        "1",
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr).trim();
    assertEquals(result.code, 2, stderr);
    assertEquals(stderr.split("\n").length, 1, stderr);
    assert(stderr.startsWith(`error: ${message}`), stderr);
    assert(!(await Deno.stat(out).catch(() => undefined)), `${out} left behind`);
  }
});
