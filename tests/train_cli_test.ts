/**
 * `tasks/train.ts` as a user meets it: a denied permission names the flag
 * that grants it, and a bad command line gets a one-line error, both with
 * exit code 2 and no stack trace.
 */
import { assert, assertEquals } from "./_assert.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";

async function trainTask(flags: string[], args: string[]) {
  const out = await new Deno.Command("deno", {
    args: ["run", ...flags, "tasks/train.ts", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("reading a --data folder without permission names the flag to add", async () => {
  await Deno.mkdir(".tmp/denied_data", { recursive: true });
  const { code, stderr } = await trainTask(
    [`--allow-read=runs,${packagedMnistDir()}`, "--allow-write=runs"],
    ["conv", "--data", ".tmp/denied_data", "--epochs", "1"],
  );
  assertEquals(code, 2, stderr);
  assert(stderr.includes("--allow-read=.tmp/denied_data"), stderr);
  assert(!stderr.includes("    at "), `no stack trace:\n${stderr}`);
});

Deno.test("writing the run folder without permission names the flags to add", async () => {
  const { code, stderr } = await trainTask(
    [`--allow-read=${packagedMnistDir()}`],
    [
      "conv",
      "--out",
      ".tmp/denied_run",
      "--epochs",
      "1",
      "--train-size",
      "64",
      "--test-size",
      "64",
      "--backend",
      "wasm",
    ],
  );
  assertEquals(code, 2, stderr);
  assert(stderr.includes("--allow-write=.tmp/denied_run"), stderr);
});

Deno.test("a bad option gets a short error naming it, without a stack trace", async () => {
  const cases: [string[], string][] = [
    [["conv", "--epochs", "-3"], "--epochs"],
    [["conv", "--epochs=1.5"], "--epochs 1.5"],
    [["nomodel"], '"nomodel"'],
    [["conv", "--width", "64"], "--width applies to tconv only"],
    [["deepconv", "--latent-dim", "8"], "--latent-dim does not apply to deepconv"],
  ];
  for (const [args, mention] of cases) {
    const { code, stderr } = await trainTask([], args);
    assertEquals(code, 2, stderr);
    assert(stderr.startsWith("error: ") && stderr.includes(mention), stderr);
    assert(!stderr.includes("    at ") && stderr.trim().split("\n").length <= 5, stderr);
  }
});

Deno.test("training into a folder that already holds a run is refused, pointing to --resume", async () => {
  const out = ".tmp/existing_run";
  await Deno.mkdir(out, { recursive: true });
  await Deno.writeTextFile(`${out}/config.json`, JSON.stringify({ config: { model: "conv" } }));
  const { code, stderr } = await trainTask(
    [`--allow-read=.tmp,${packagedMnistDir()}`, "--allow-write=.tmp"],
    ["conv", "--out", out, "--epochs", "1", "--train-size", "64", "--test-size", "64"],
  );
  assertEquals(code, 2, stderr);
  assert(stderr.includes(`--resume ${out}`), stderr);
});

Deno.test("every task answers an unknown option with one error line and status 2", async () => {
  for (const task of ["train", "embed", "report", "tsne", "quality", "bench_tsne", "fuzz_gzip"]) {
    const out = await new Deno.Command("deno", {
      args: ["run", `tasks/${task}.ts`, "--no-such-option"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assertEquals(out.code, 2, `${task}: ${stderr}`);
    assert(
      stderr.startsWith("error: ") && stderr.includes("--no-such-option"),
      `${task}: ${stderr}`,
    );
  }
});

Deno.test("train <model> --resume DIR continues the run when the model matches, and is refused when not", async () => {
  const out = ".tmp/resume_cli_run";
  await Deno.remove(out, { recursive: true }).catch(() => {});
  const flags = [`--allow-read=.tmp,${packagedMnistDir()}`, "--allow-write=.tmp"];
  const size = ["--train-size", "64", "--test-size", "32", "--batch-size", "32"];
  const first = await trainTask(flags, [
    "dense",
    "--out",
    out,
    "--epochs",
    "1",
    ...size,
    "--quiet",
  ]);
  assertEquals(first.code, 0, first.stderr);
  const wrong = await trainTask(flags, ["conv", "--resume", out, "--epochs", "2"]);
  assertEquals(wrong.code, 2, wrong.stderr);
  assert(wrong.stderr.startsWith(`error: ${out} holds a dense run, not conv`), wrong.stderr);
  const right = await trainTask(flags, ["dense", "--resume", out, "--epochs", "2", "--quiet"]);
  assertEquals(right.code, 0, right.stderr);
  const lines = (await Deno.readTextFile(`${out}/metrics.jsonl`)).trim().split("\n");
  assertEquals(lines.length, 2);
});

Deno.test("a diverging run ends with one error line naming the epoch, the steps and the checkpoint kept", async () => {
  const out = ".tmp/diverging_run";
  await Deno.remove(out, { recursive: true }).catch(() => {});
  const flags = [`--allow-read=.tmp,${packagedMnistDir()}`, "--allow-write=.tmp"];
  const size = ["--train-size", "64", "--test-size", "32", "--batch-size", "32", "--quiet"];
  assertEquals((await trainTask(flags, ["vae", "--out", out, "--epochs", "1", ...size])).code, 0);
  const record = JSON.parse(await Deno.readTextFile(`${out}/config.json`));
  record.config.lr = 1e6;
  await Deno.writeTextFile(`${out}/config.json`, JSON.stringify(record));
  const { code, stderr } = await trainTask(flags, ["--resume", out, "--epochs", "3", "--quiet"]);
  assertEquals(code, 2, stderr);
  assert(/^error: epoch 2, steps? [\d-]+: the training loss became NaN/.test(stderr), stderr);
  assert(stderr.includes("lower the learning rate"), stderr);
  assert(stderr.includes(`${out}/checkpoint keeps epoch 1`), stderr);
  assert(!stderr.includes("    at ") && stderr.trim().split("\n").length === 1, stderr);
});

Deno.test("a denied permission names the task that is running and what it grants", async () => {
  const out = await new Deno.Command("deno", {
    args: ["run", "tasks/embed.ts", ".tmp/no_permission_run"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assertEquals(out.code, 2, stderr);
  assert(stderr.includes("--allow-read=.tmp/no_permission_run"), stderr);
  assert(
    stderr.includes("deno task embed grants --allow-read=data,runs,src,asm --allow-write=runs"),
    stderr,
  );
  assert(stderr.includes("tasks/embed.ts"), stderr);
});

Deno.test("--data x.npy trains from NumPy images, saying what it read; bad NumPy input is one error line and leaves no run folder", async () => {
  const dir = "tests/fixtures/npy";
  const out = ".tmp/npy_run_" + crypto.randomUUID().slice(0, 8);
  const flags = [`--allow-read=${dir},.tmp`, "--allow-write=.tmp"];
  const base = ["dense", "--epochs", "1", "--batch-size", "8", "--backend", "wasm", "--quiet"];
  const run = await new Deno.Command("deno", {
    args: [
      "run",
      ...flags,
      "tasks/train.ts",
      ...base,
      "--out",
      out,
      "--data",
      `${dir}/images_nhw_u8.npy`,
      "--labels",
      `${dir}/images_labels.npy`,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(run.stdout);
  assertEquals(run.code, 0, new TextDecoder().decode(run.stderr));
  assert(
    stdout.includes(
      `source: ${dir}/images_nhw_u8.npy + ${dir}/images_labels.npy: (20, 28, 28) uint8, layout nhw`,
    ),
    stdout,
  );
  assert(stdout.includes("data: 16 train / 4 test images, 28x28x1"), stdout);
  const config = JSON.parse(await Deno.readTextFile(`${out}/config.json`)).config;
  assertEquals([config.data, config.labels], [
    `${dir}/images_nhw_u8.npy`,
    `${dir}/images_labels.npy`,
  ]);
  for (
    const [file, mention] of [
      ["images_5_channels.npy", "cannot tell where the channel axis"],
      ["object.npy", "object array"],
    ]
  ) {
    const bad = `${out}_bad`;
    const { code, stderr } = await trainTask(flags, [
      ...base,
      "--out",
      bad,
      "--data",
      `${dir}/${file}`,
    ]);
    assertEquals(code, 2, stderr);
    const lines = stderr.trim().split("\n");
    assertEquals(lines.length, 1, stderr);
    assert(
      lines[0].startsWith("error: ") && lines[0].includes(`${dir}/${file}`) &&
        lines[0].includes(mention),
      stderr,
    );
    assert(!(await Deno.stat(bad).then(() => true, () => false)), "no run folder left behind");
  }
});
