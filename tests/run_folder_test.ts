/**
 * The run folder's checkpoints: each records the size and SHA-256 of its
 * files; a damaged one is named by file and expected size, `--resume` falls
 * back to the previous epoch's checkpoint (and says so) to the same result
 * as an uninterrupted run; a diverging run leaves the last good one intact.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { quick, tempRunDir } from "./_train_fixture.ts";
import { resume, train } from "../src/train/train.ts";
import { loadRun } from "../src/inference/load_run.ts";
import { NonFiniteLossError } from "../src/train/loss_meter.ts";
import { RUN_FILES } from "../src/run/run_folder.ts";

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
    resumed.metrics.map((m) => m.val_loss),
    straight.metrics.map((m) => m.val_loss),
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
