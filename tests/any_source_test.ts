/**
 * Every source through the whole product: a model trains on CIFAR-10's
 * 32x32 RGB records and on a standardized CSV table with named classes;
 * `config.json` records the shape; the figures are RGB image grids and
 * line plots; `report`, `embed` and `detect` run on both and name the
 * classes. A model that cannot take the source's samples is refused before
 * any data is read.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { train } from "../src/train/train.ts";
import { writeReport } from "../src/report/report.ts";
import { exportFeatures } from "../src/features/export.ts";
import { detect } from "../src/anomaly/detect.ts";
import { CIFAR_RECORD } from "../src/data/cifar.ts";
import { Rng } from "../src/random.ts";
import { tempRunDir } from "./_train_fixture.ts";

const quiet = { quiet: true, log: () => {}, backend: "cpu" as const, seed: 0, workers: 1 };

async function cifarFolder(records: number, cut = 0): Promise<string> {
  const dir = await tempRunDir("cifar_");
  const rng = new Rng(7);
  const batch = (n: number) => {
    const out = new Uint8Array(n * CIFAR_RECORD - cut);
    for (let i = 0; i < out.length; i++) {
      out[i] = i % CIFAR_RECORD === 0 ? (i / CIFAR_RECORD) % 3 : Math.floor(256 * rng.uniform());
    }
    return out;
  };
  await Deno.writeFile(`${dir}/data_batch_1.bin`, batch(records));
  await Deno.writeFile(`${dir}/test_batch.bin`, batch(Math.max(4, records / 4)));
  await Deno.writeTextFile(`${dir}/batches.meta.txt`, "plane\ncar\nbird\n");
  return dir;
}

Deno.test("CIFAR-10: conv trains on 32x32 RGB and reports it; deepconv's limit is said before any data is read", async () => {
  const data = await cifarFolder(24);
  const out = await tempRunDir();
  const { config } = await train({ ...quiet, model: "conv", data, epochs: 1, batchSize: 8, out });
  assertEquals(config.inputShape, [32, 32, 3]);
  const recorded = JSON.parse(await Deno.readTextFile(`${out}/config.json`)).config;
  assertEquals([recorded.inputShape, recorded.unbounded], [[32, 32, 3], false]);
  const report = await Deno.readTextFile(await writeReport(out, { tsnePoints: 0, backend: "cpu" }));
  assert(report.includes("[-1, 32, 32, 3]"), "the summary's real shapes");
  await exportFeatures(out, { backend: "cpu", workers: 1, k: 3 });
  const names = JSON.parse(await Deno.readTextFile(`${out}/class_names.json`));
  assertEquals(names.slice(0, 3), ["plane", "car", "bird"]);
  // A cut batch would be an error naming its byte offset, were it read: the refusal comes first.
  const cut = await cifarFolder(8, 100);
  await assertRejects(
    () => train({ ...quiet, model: "deepconv", data: cut, out: `${out}-deep` }),
    "the deepconv model takes HxWxC images whose sides are 8k + 12 pixels",
    "32 is not one (28 or 36 is)",
  );
  await assertRejects(
    () => train({ ...quiet, model: "conv", data: cut, out: `${out}-cut` }),
    "data_batch_1.bin",
  );
});

Deno.test("a standardized CSV table: dense trains with a linear output, line-plot figures, and detect names the classes", async () => {
  const dir = await tempRunDir("csv_");
  const rng = new Rng(9);
  const head = [...Array.from({ length: 12 }, (_, j) => `f${j}`), "kind"].join(",");
  const rows = Array.from({ length: 60 }, (_, i) => {
    const kind = i % 5 === 0 ? "odd" : "usual";
    const values = Array.from(
      { length: 12 },
      (_, j) => (kind === "odd" ? 3 : 1) * Math.sin(j + i) + 0.1 * rng.normal(),
    );
    return [...values.map((v) => v.toFixed(4)), kind].join(",");
  });
  await Deno.writeTextFile(`${dir}/table.csv`, [head, ...rows].join("\n") + "\n");
  const out = await tempRunDir();
  const { config } = await train({
    ...quiet,
    model: "dense",
    data: `${dir}/table.csv`,
    labelColumn: "kind",
    normalize: "standard",
    epochs: 2,
    batchSize: 8,
    out,
  });
  assertEquals([config.inputShape, config.unbounded, config.loss], [[12], true, "mse"]);
  const files = [...Deno.readDirSync(out)].map((e) => e.name);
  assert(files.includes("reconstructions.png"));
  const usual = 1; // text labels are numbered in sorted order: odd 0, usual 1
  const { record } = await detect(out, { backend: "cpu", normalClasses: [usual] });
  assertEquals(record.class_names, ["odd", "usual"]);
  const csv = await Deno.readTextFile(`${out}/anomalies.csv`);
  assert(csv.includes(",odd,") && csv.includes(",usual,"), csv.slice(0, 200));
  const report = await Deno.readTextFile(
    await writeReport(out, { tsnePoints: 0, backend: "cpu" }),
  );
  assert(report.includes("normal classes</th><td>usual"), "normal classes by name");
  await assertRejects(
    () =>
      train({
        ...quiet,
        model: "tconv",
        data: `${dir}/table.csv`,
        labelColumn: "kind",
        out: `${out}-t`,
      }),
    "the tconv model takes HxWxC images of 16x16 and up (grey or RGB), not",
    "table.csv's table rows: its layers are 2-d convolutions over images",
  );
});
