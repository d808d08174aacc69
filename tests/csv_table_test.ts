/**
 * CSV tables as training data (`src/data/csv_table.ts`): numeric features,
 * a label column of numbers or text (class names kept), ignored columns, a
 * seeded test split, per-feature scaling fitted on the training rows only,
 * and errors at `file:line:column`.
 */
import { assert, assertClose, assertEquals, assertRejects } from "./_assert.ts";
import { loadCsvTable } from "../src/data/csv_table.ts";

const DIR = ".tmp/csv_table_test";
await Deno.mkdir(DIR, { recursive: true });

/** 20 rows: id, two features, a text label and a date. */
async function sensors(): Promise<string> {
  const lines = ["id,temp,load,machine,date"];
  for (let i = 0; i < 20; i++) {
    lines.push(
      `${100 + i},${10 + i},${(i * 7) % 13},${["press", "lathe", "drill"][i % 3]},2024-01-${i + 1}`,
    );
  }
  await Deno.writeTextFile(`${DIR}/sensors.csv`, lines.join("\n") + "\n");
  return `${DIR}/sensors.csv`;
}

Deno.test("features, text labels as sorted class names, ignored columns: a table dataset", async () => {
  const path = await sensors();
  const { train, test, description } = await loadCsvTable(path, {
    labelColumn: "machine",
    ignoreColumns: ["id", "date"],
    normalize: "none",
    seed: 3,
  });
  assertEquals([train.count, test.count], [16, 4]);
  assertEquals([train.kind, train.height, train.width, train.channels], ["table", 1, 2, 1]);
  assertEquals(train.classNames, ["drill", "lathe", "press"]);
  for (const set of [train, test]) {
    for (let r = 0; r < set.count; r++) {
      const i = set.images[r * 2] - 10; // temp = 10 + i: the row's index
      assertEquals(set.images[r * 2 + 1], (i * 7) % 13, "features stay in their row");
      assertEquals(set.classNames![set.labels[r]], ["press", "lathe", "drill"][i % 3]);
    }
  }
  for (const part of ["20 rows x 2 numeric features", '3 classes from column "machine"', "20%"]) {
    assert(description.includes(part), `${description} says ${part}`);
  }
});

Deno.test("min-max and standard scaling are fitted on the training rows only", async () => {
  const path = await sensors();
  const options = { labelColumn: "machine", ignoreColumns: ["id", "date"], seed: 3 };
  const raw = await loadCsvTable(path, { ...options, normalize: "none" });
  const minmax = await loadCsvTable(path, options);
  assert(minmax.description.includes("--normalize minmax"), minmax.description);
  assertEquals(minmax.scaling.kind, "minmax");
  const column = (images: ArrayLike<number>, c: number) =>
    Array.from({ length: images.length / 2 }, (_, r) => images[r * 2 + c]);
  for (const c of [0, 1]) {
    const train = column(raw.train.images, c), test = column(raw.test.images, c);
    const lo = Math.min(...train), hi = Math.max(...train);
    assertEquals([
      Math.min(...column(minmax.train.images, c)),
      Math.max(...column(minmax.train.images, c)),
    ], [0, 1]);
    column(minmax.test.images, c).forEach((v, r) =>
      assertClose(v, (test[r] - lo) / (hi - lo), 1e-6)
    );
  }
  const standard = await loadCsvTable(path, { ...options, normalize: "standard" });
  const scaled = column(standard.train.images, 0);
  const mean = scaled.reduce((a, b) => a + b) / scaled.length;
  const std = Math.sqrt(scaled.reduce((a, b) => a + (b - mean) ** 2, 0) / scaled.length);
  assertClose(mean, 0, 1e-6);
  assertClose(std, 1, 1e-5);
});

Deno.test("integer labels 0-255 are the classes themselves; no label column: unlabelled", async () => {
  await Deno.writeTextFile(`${DIR}/digits.csv`, "a,b,y\n1,2,7\n3,4,2\n5,6,7\n7,8,2\n9,1,7\n");
  const { train, test } = await loadCsvTable(`${DIR}/digits.csv`, { labelColumn: "y" });
  assertEquals([...train.labels, ...test.labels].sort(), [2, 2, 7, 7, 7]);
  assertEquals(train.classNames, undefined);
  await Deno.writeTextFile(`${DIR}/signed.csv`, "a,y\n1,-1\n2,1\n3,-1\n4,1\n5,1\n");
  const signed = await loadCsvTable(`${DIR}/signed.csv`, { labelColumn: "y" });
  assertEquals(
    signed.train.classNames,
    ["-1", "1"],
    "-1 is not a class index: named, in numeric order",
  );
  const unlabelled = await loadCsvTable(`${DIR}/digits.csv`, {});
  assertEquals([unlabelled.train.width, new Set(unlabelled.train.labels).size], [3, 1]);
});

Deno.test("a text cell, an empty cell, a ragged row, no header: file:line:column and what was expected", async () => {
  const cases: [string, string][] = [
    ["a,b,y\n1,2,x\n3,high,y\n", 'bad.csv:3:2: "high" in column "b"; expected a number'],
    ["a,b,y\n1,2,x\n3,,y\n", 'bad.csv:3:2: an empty cell in column "b"; expected a number'],
    ["a,b,y\n1,2,x\n3,4\n", "bad.csv:3: 2 fields; expected 3, as the header has"],
    ["1,2,3\n4,5,6\n", "bad.csv:1: expected a header row naming the columns"],
  ];
  for (const [text, message] of cases) {
    await Deno.writeTextFile(`${DIR}/bad.csv`, text);
    const labelColumn = text.startsWith("a") ? "y" : undefined;
    await assertRejects(() => loadCsvTable(`${DIR}/bad.csv`, { labelColumn }), `${DIR}/${message}`);
  }
});
