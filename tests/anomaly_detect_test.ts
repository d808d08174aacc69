/**
 * `deno task detect` end to end on a small one-class run: the seven outputs
 * and their agreement with each other; every bad input of the list
 * gets one `error:` line, exit code 2, and writes nothing.
 */
import { assert, assertClose, assertEquals } from "./_assert.ts";
import { train } from "../src/train/train.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";
import { readNpy, writeNpy } from "../src/io/npy.ts";
import { rocAuc } from "../src/anomaly/metrics.ts";
import { parseDetectArgs } from "../src/cli/detect_args.ts";
import { tempRunDir } from "./_train_fixture.ts";
import { writeReport } from "../src/report/report.ts";

const OUTPUTS = [
  "scores.npy",
  "anomalies.csv",
  "detect.json",
  "scores.png",
  "roc.png",
  "pr.png",
  "anomalies.png",
];

async function detectTask(args: string[]) {
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      `--allow-read=.tmp,${packagedMnistDir()}`,
      "--allow-write=.tmp",
      "tasks/detect.ts",
      "--backend",
      "cpu",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

const runDir = await tempRunDir("detect_");
await train({
  model: "dense",
  epochs: 3,
  batchSize: 32,
  trainSize: 300,
  testSize: 400,
  trainClasses: [1],
  backend: "cpu",
  seed: 0,
  quiet: true,
  log: () => {},
  out: runDir,
});

Deno.test("a one-class run: the normal class comes from the run, all seven files agree", async () => {
  const { code, stdout, stderr } = await detectTask([runDir, "--contamination", "0.1"]);
  assertEquals(code, 0, stderr);
  assert(stdout.includes("ROC-AUC"), stdout);
  for (const name of OUTPUTS) assert((await Deno.stat(`${runDir}/${name}`)).size > 0, name);
  const record = JSON.parse(await Deno.readTextFile(`${runDir}/detect.json`));
  assertEquals([record.samples, record.score, record.positive_class], [400, "mse", "anomaly"]);
  assertEquals(record.normal_classes, [1]);
  assertEquals(record.threshold.rule, "contamination 0.1");
  assert(record.threshold.fitted_on.includes("300 training samples"), record.threshold.fitted_on);
  const scores = readNpy(await Deno.readFile(`${runDir}/scores.npy`));
  assertEquals([scores.shape, scores.dtype], [[400], "float32"]);
  const rows = (await Deno.readTextFile(`${runDir}/anomalies.csv`)).trim().split("\n");
  assertEquals(rows[0], "index,score,flagged,label,class,anomaly");
  assertEquals(rows.length, 401);
  const cells = rows.slice(1).map((r) => r.split(","));
  const truth = cells.map((c) => Number(c[5]));
  assert(cells.every((c) => (c[3] === "1") === (c[5] === "0")), "digit 1 is normal, others not");
  assertEquals(record.anomalies, truth.reduce((a, b) => a + b, 0));
  assertClose(record.metrics.roc_auc, rocAuc(truth, scores.data as Float32Array), 1e-12);
  assert(
    record.metrics.roc_auc > 0.9,
    `three epochs on 1s separate them: ${record.metrics.roc_auc}`,
  );
  const flagged = cells.filter((c) => c[2] === "1").length;
  assertEquals(record.flagged, flagged);
  const m = record.metrics.confusion_matrix;
  assertEquals(m.tp + m.fp, flagged);
  assertEquals(m.tp + m.fn, record.anomalies);
});

Deno.test("--out, a fixed threshold and --normal-classes go where asked", async () => {
  const out = `${runDir}/elsewhere`;
  const { code, stderr } = await detectTask([
    runDir,
    "--out",
    out,
    "--threshold",
    "0.5",
    "--normal-classes",
    "1,7",
    "--score",
    "mae",
  ]);
  assertEquals(code, 0, stderr);
  const record = JSON.parse(await Deno.readTextFile(`${out}/detect.json`));
  assertEquals([record.normal_classes, record.score, record.threshold.value], [[1, 7], "mae", 0.5]);
  assertEquals(record.threshold.fitted_on, "nothing (a fixed value)");
});

Deno.test("--anomaly-label marks one label as the anomalies and every other label as normal", async () => {
  const out = `${runDir}/by_label`;
  const { code, stderr } = await detectTask([runDir, "--out", out, "--anomaly-label", "7"]);
  assertEquals(code, 0, stderr);
  const record = JSON.parse(await Deno.readTextFile(`${out}/detect.json`));
  assertEquals(record.anomaly_label, 7);
  assert(!record.normal_classes.includes(7) && record.normal_classes.includes(1));
  const rows = (await Deno.readTextFile(`${out}/anomalies.csv`)).trim().split("\n").slice(1);
  const cells = rows.map((r) => r.split(","));
  assert(cells.every((c) => (c[3] === "7") === (c[5] === "1")), "label 7 is the anomaly");
});

Deno.test("a .npy of images scores the same whatever its integer dtype (pixels / 255)", async () => {
  const dir = await tempRunDir("detect_dtypes_");
  const pixels = Uint8Array.from({ length: 6 * 784 }, (_, i) => (i * 37) % 256);
  await Deno.writeFile(`${dir}/u8.npy`, writeNpy(pixels, [6, 28, 28]));
  await Deno.writeFile(`${dir}/i32.npy`, writeNpy(Int32Array.from(pixels), [6, 28, 28]));
  const scores = [];
  for (const name of ["u8", "i32"]) {
    const out = `${dir}/${name}`;
    const args = [runDir, "--data", `${dir}/${name}.npy`, "--threshold", "0.1", "--out", out];
    const { code, stderr } = await detectTask(args);
    assertEquals(code, 0, stderr);
    scores.push(readNpy(await Deno.readFile(`${out}/scores.npy`)).data);
  }
  assertEquals(scores[1], scores[0]);
});

Deno.test("every bad input: one error line, exit 2, nothing written", async () => {
  const empty = await tempRunDir("detect_bad_");
  await Deno.copyFile(`${runDir}/config.json`, `${empty}/config.json`);
  await Deno.writeFile(`${empty}/small.npy`, writeNpy(new Uint8Array(5 * 100), [5, 10, 10]));
  await Deno.writeFile(`${empty}/rows.npy`, writeNpy(new Float32Array(3 * 784), [3, 784]));
  await Deno.writeFile(`${empty}/wide.npy`, writeNpy(new Int16Array(784).fill(300), [1, 784]));
  const out = `${empty}/out`;
  const cases: [string[], string][] = [
    [[empty], "no checkpoint"],
    [
      [runDir, "--data", `${empty}/small.npy`],
      "10x10 = 100 values, but the dense model was trained on 28x28x1 images (784 values)",
    ],
    [[runDir, "--normal-classes", "12"], "class 12 does not occur"],
    [[runDir, "--threshold", "median+2*std"], "--threshold median+2*std: expected mean+K*std"],
    [[runDir, "--data", `${empty}/rows.npy`, "--normal-classes", "1"], "has no labels"],
    [[runDir, "--score", "elbo"], "needs a VAE"],
    [[runDir, "--score", "l2"], "--score l2: expected one of"],
    [[runDir, "--contamination", "0.7"], "--contamination 0.7"],
    [[runDir, "--threshold", "1", "--contamination", "0.1"], "not both"],
    [[runDir, "--data", `${empty}/wide.npy`], "element 0 is 300; integer images must hold 0-255"],
    [[runDir, "--anomaly-label", "12"], "--anomaly-label: class 12 does not occur"],
    [[runDir, "--anomaly-label", "1", "--normal-classes", "2"], "not both"],
  ];
  for (const [args, mention] of cases) {
    const { code, stderr } = await detectTask([...args, "--out", out]);
    assertEquals(code, 2, `${args.join(" ")}: ${stderr}`);
    assert(stderr.startsWith("error: ") && stderr.includes(mention), `${args}: ${stderr}`);
    assertEquals(stderr.trim().split("\n").length, 1, stderr);
    const written = await Array.fromAsync(Deno.readDir(out)).catch(() => []);
    assertEquals(written, [], `${args.join(" ")} wrote nothing`);
  }
});

Deno.test("the command line: --help, and the rule objects", () => {
  assertEquals(parseDetectArgs(["--help"]).kind, "help");
  const cmd = parseDetectArgs(["runs/x", "--threshold", "mean+2*std"]);
  assert(cmd.kind === "detect");
  assertEquals(cmd.options.threshold, { kind: "std", k: 2 });
});

Deno.test("report.html gains a Detection section with the figures once detect.json exists", async () => {
  const { code, stderr } = await detectTask([runDir]);
  assertEquals(code, 0, stderr);
  const path = await writeReport(runDir, { tsnePoints: 0, backend: "cpu" });
  const html = await Deno.readTextFile(path);
  assert(html.includes("<h2>Detection</h2>") && html.includes("ROC-AUC"), "detection section");
  assertEquals(html.match(/<figcaption>(scores|roc|pr|anomalies)<\/figcaption>/g)?.length, 4);
});

Deno.test("a run with a validation set fits the threshold on the validation scores", async () => {
  const dir = await tempRunDir("detect_val_");
  await train({
    model: "dense",
    epochs: 1,
    trainSize: 200,
    testSize: 100,
    valSplit: 0.25,
    trainClasses: [0],
    backend: "cpu",
    quiet: true,
    log: () => {},
    out: dir,
  });
  const { code, stderr } = await detectTask([dir, "--contamination", "0.1"]);
  assertEquals(code, 0, stderr);
  const record = JSON.parse(await Deno.readTextFile(`${dir}/detect.json`));
  assertEquals(record.threshold.fitted_on, "the run's 50 validation samples");
});
