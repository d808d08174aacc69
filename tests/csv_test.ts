/** CSV parsing (`src/io/csv.ts`): header detection, label and ignored columns, errors at `file:line:column`. */
import { assert, assertEquals, thrownMessage } from "./_assert.ts";
import { readCsv } from "../src/io/csv.ts";

Deno.test("a header row, a text label column and ignored columns leave the numeric features", () => {
  const t = readCsv("id,a,kind,date,b\n7,1,x,2024-01-02,2\n8,3,y,2024-01-03,4\n", {
    labelColumn: "kind",
    ignoreColumns: ["id", "date"],
  });
  assertEquals([t.rows, t.cols, [...t.data], t.labels], [2, 2, [1, 2, 3, 4], ["x", "y"]]);
  assertEquals(t.header, ["id", "a", "kind", "date", "b"]);
  const plain = readCsv("1,2\n3,4\n");
  assertEquals([plain.rows, plain.header], [2, undefined]);
});

Deno.test("text or empty cells, ragged rows and unknown columns name file:line:column", () => {
  const cases: [string, object, string][] = [
    ["a,b\n1,2\n3,high\n", {}, 'x.csv:3:2: "high" in column "b"; expected a number'],
    ["a,b\n1,2\n,4\n", {}, 'x.csv:3:1: an empty cell in column "a"; expected a number'],
    ["a,b\n1,2\n3,4,5\n", {}, "x.csv:3: 3 fields; expected 2, as the header has"],
    ["a,b\n1,2\n", { ignoreColumns: ["id"] }, 'x.csv: no column "id" (columns: a, b)'],
    ["a,b\n1,2\n", { ignoreColumns: ["a", "b"] }, "x.csv: no feature columns left"],
  ];
  for (const [text, options, message] of cases) {
    const got = thrownMessage(() => readCsv(text, { source: "x.csv", ...options }));
    assert(got === message, `${JSON.stringify(text)}: ${got}`);
  }
});
