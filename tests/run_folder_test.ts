/**
 * The run folder's checkpoints: each records the size and SHA-256 of its
 * files; a damaged one is named by file and expected size, `--resume` falls
 * back to the previous epoch's checkpoint (and says so) to the same result
 * as an uninterrupted run; a diverging run leaves the last good one intact.
 * Runs made before validation splits (their `val_loss` was the test loss)
 * still load, report and resume.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { quick, tempRunDir } from "./_train_fixture.ts";
import { resume, train } from "../src/train/train.ts";
import { loadRun } from "../src/inference/load_run.ts";
import { NonFiniteLossError } from "../src/train/loss_meter.ts";
import { readMetrics, RUN_FILES } from "../src/run/run_folder.ts";
import { writeReport } from "../src/report/report.ts";

const tiny = { backend: "wasm" as const, trainSize: 64, testSize: 32, batchSize: 32 };

async function truncate(path: string, bytes: number) {
  const data = await Deno.readFile(path);
  await Deno.writeFile(path, data.subarray(0, bytes));
  return data.length;
}

Deno.test("wasm: a truncated weights.bin is named with its expected size, and --resume continues from the previous epoch's checkpoint", async () => {
  const straight = await train(quick({ ...tiny, out: await tempRunDir(), epochs: 3 }));
  const out = await tempRunDir();
  await train(quick({ ...tiny, out, epochs: 2 }));
  const manifest = JSON.parse(await Deno.readTextFile(`${out}/checkpoint/manifest.json`));
  const weights = `${out}/${RUN_FILES.checkpoint}/weights.bin`;
  const size = await truncate(weights, 90);
  assertEquals(manifest.files["weights.bin"].bytes, size);
  assertEquals(manifest.files["weights.bin"].sha256.length, 64);
  const lines: string[] = [];
  const resumed = await resume(out, { epochs: 3, quiet: true, log: (l) => lines.push(l) });
  const note = lines.find((l) => l.includes("previous checkpoint")) ?? lines.join("\n");
  assert(note.includes(`${weights} has 90 bytes, expected ${size}`), note);
  assert(note.includes("checkpoint.prev"), note);
  assertEquals(
    resumed.metrics.map((m) => m.test_loss),
    straight.metrics.map((m) => m.test_loss),
    "the same run as without the damage",
  );
});

Deno.test("wasm: with both checkpoints damaged, loading names each file and what was expected", async () => {
  const out = await tempRunDir();
  await train(quick({ ...tiny, out, epochs: 2 }));
  const size = await truncate(`${out}/checkpoint/weights.bin`, 90);
  const bytes = await Deno.readFile(`${out}/checkpoint.prev/optimizer.bin`);
  bytes[0] ^= 1;
  await Deno.writeFile(`${out}/checkpoint.prev/optimizer.bin`, bytes);
  const error = await assertRejects(
    () => resume(out, { epochs: 3, quiet: true, log: () => {} }),
    `${out}/checkpoint/weights.bin has 90 bytes, expected ${size}`,
    `${out}/checkpoint.prev/optimizer.bin does not match the SHA-256`,
  );
  assertEquals(error.name, "CheckpointError");
});

Deno.test("wasm: a run that diverges stops with a NonFiniteLossError and leaves the last good checkpoint loadable", async () => {
  const out = await tempRunDir();
  await train(quick({ ...tiny, model: "vae", out, epochs: 1 }));
  const record = JSON.parse(await Deno.readTextFile(`${out}/config.json`));
  record.config.lr = 1e6;
  await Deno.writeTextFile(`${out}/config.json`, JSON.stringify(record));
  const error = await resume(out, { epochs: 3, quiet: true, log: () => {} }).then(
    () => undefined,
    (e) => e,
  );
  assert(error instanceof NonFiniteLossError && error.message.startsWith("epoch 2,"), `${error}`);
  const run = await loadRun(out, { backend: "wasm" });
  assertEquals(run.state.epoch, 1);
  assert(run.autoencoder.parameters.getWeights().every((w) => w.dataSync().every(Number.isFinite)));
});

Deno.test("wasm: a checkpoint from before manifests is still checked: a cut weights.bin is named with its size", async () => {
  const out = await tempRunDir();
  await train(quick({ ...tiny, out, epochs: 1 }));
  await Deno.remove(`${out}/checkpoint/manifest.json`);
  const size = await truncate(`${out}/checkpoint/weights.bin`, 90);
  const error = await assertRejects(
    () => loadRun(out, { backend: "wasm" }),
    `${out}/checkpoint/weights.bin has 90 bytes, expected ${size}`,
  );
  assertEquals(error.name, "CheckpointError");
});

Deno.test("wasm: a run from before validation splits (val_loss was the test loss) loads, reports and resumes", async () => {
  const out = await tempRunDir();
  await train(quick({ ...tiny, model: "dense", out, epochs: 2, earlyStopping: 1 }));
  // Rewrite it as such a run left it: no valSplit, and the test loss under the name val_loss.
  const record = JSON.parse(await Deno.readTextFile(`${out}/config.json`));
  delete record.config.valSplit;
  await Deno.writeTextFile(`${out}/config.json`, JSON.stringify(record));
  const lines = (await Deno.readTextFile(`${out}/metrics.jsonl`)).trim().split("\n")
    .map((l) => JSON.parse(l));
  const testLosses = lines.map((m) => m.test_loss);
  await Deno.writeTextFile(
    `${out}/metrics.jsonl`,
    lines.map(({ val_loss: _, test_loss, ...m }) => JSON.stringify({ ...m, val_loss: test_loss }))
      .join("\n") + "\n",
  );
  const metrics = await readMetrics(out);
  assertEquals(metrics.map((m) => m.test_loss), testLosses, "its val_loss reads as test_loss");
  assertEquals(metrics.map((m) => "val_loss" in m), [false, false]);
  assertEquals((await loadRun(out, { backend: "wasm" })).state.epoch > 0, true);
  const html = await Deno.readTextFile(await writeReport(out, { tsnePoints: 0, backend: "wasm" }));
  assert(html.includes("<th>test_loss</th>") && !html.includes("<th>val_loss</th>"), "report");
  const log: string[] = [];
  const resumed = await resume(out, { epochs: 3, quiet: true, log: (l) => log.push(l) });
  assert(log.some((l) => l.includes("before validation splits")), log.join("\n"));
  assertEquals(resumed.metrics.length, 3);
  assertEquals(resumed.metrics[2].val_loss, undefined, "no validation set to report");
  assertEquals(resumed.state.bestEpoch, undefined, "the test-chosen best epoch is dropped");
  const config = JSON.parse(await Deno.readTextFile(`${out}/config.json`)).config;
  assertEquals([config.valSplit, config.earlyStopping], [0, 0]);
});

Deno.test("wasm: a run with a validation split writes val_loss and test_loss, and logs the split", async () => {
  const out = await tempRunDir();
  const log: string[] = [];
  const { metrics } = await train({
    ...tiny,
    model: "dense",
    out,
    epochs: 1,
    valSplit: 0.25,
    quiet: true,
    log: (l) => log.push(l),
  });
  const line = JSON.parse((await Deno.readTextFile(`${out}/metrics.jsonl`)).trim());
  assertEquals(Object.keys(line).slice(0, 4), ["epoch", "train_loss", "val_loss", "test_loss"]);
  assertEquals(line.val_loss, metrics[0].val_loss);
  assert(
    log.some((l) =>
      l.startsWith("data: 48 train / 16 validation (a seeded 25% of the training data) / 32 test")
    ),
    log.join("\n"),
  );
});
