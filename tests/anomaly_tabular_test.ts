/** The tabular one-class protocol: CSV label columns, a stratified seeded split scaled by the normal training rows, a detector that separates a clear anomaly. */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { readCsv } from "../src/io/csv.ts";
import { splitTable, tabularOneClass } from "../src/anomaly/tabular.ts";
import { Rng } from "../src/random.ts";

Deno.test("a label column of text is returned apart from the numeric columns", () => {
  const t = readCsv("a,kind,b\n1,B,2\n3,M,4\n", { labelColumn: "kind" });
  assertEquals([t.rows, t.cols, [...t.data], t.labels], [2, 2, [1, 2, 3, 4], ["B", "M"]]);
  let message = "";
  try {
    readCsv("a,b\n1,2\n", { labelColumn: "kind", source: "x.csv" });
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.startsWith('x.csv: no column "kind" (columns: a, b)'), message);
});

/** Normal rows near (0.2, 0.2, 0.2, 0.2); anomalies with a last column near 0.9. */
function table(n: number, anomalies: number, seed: number) {
  const rng = new Rng(seed);
  const data = new Float32Array((n + anomalies) * 4);
  const labels: string[] = [];
  for (let i = 0; i < n + anomalies; i++) {
    for (let c = 0; c < 4; c++) data[i * 4 + c] = 0.2 + 0.05 * rng.normal();
    if (i >= n) data[i * 4 + 3] = 0.9 + 0.05 * rng.normal();
    labels.push(i < n ? "normal" : "odd");
  }
  return { data, rows: n + anomalies, cols: 4, labels };
}

Deno.test("the split holds out each label's share, trains on normal rows scaled to [0, 1]", () => {
  const t = table(100, 20, 1);
  const split = splitTable(t, { normal: ["normal"], testFraction: 0.4, seed: 3 });
  assertEquals(split.train.length / 4, 60);
  assertEquals(split.testAnomalies.length, 48);
  assertEquals(split.testAnomalies.reduce((a, b) => a + b, 0), 8);
  assert(split.train.every((v) => v >= 0 && v <= 1), "the training rows span [0, 1]");
  assertEquals(splitTable(t, { normal: ["normal"], seed: 3 }), split, "seeded");
  let message = "";
  try {
    splitTable(t, { normal: ["benign"] });
  } catch (e) {
    message = (e as Error).message;
  }
  assert(message.includes("no row is labelled benign (labels: normal, odd)"), message);
});

Deno.test("a dense detector finds rows off the normal rows' range", async () => {
  const { auc, seconds } = await tabularOneClass(table(150, 30, 2), {
    normal: ["normal"],
    epochs: 30,
  });
  assert(auc > 0.95, `AUC ${auc}`);
  assert(seconds > 0);
  await assertRejects(
    () => tabularOneClass({ ...table(10, 0, 1) }, { normal: ["normal"] }),
    "anomalous test rows",
  );
});
