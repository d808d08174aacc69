/** The train command line: options map onto the loop's, bad values name the flag, --help lists every model. */
import { assert, assertEquals, assertRejects, thrownMessage } from "./_assert.ts";
import { helpText, parseTrainArgs } from "../src/cli/train_args.ts";
import { MODELS } from "../src/models/registry.ts";

Deno.test("a full command line", () => {
  const cmd = parseTrainArgs([
    "conv",
    "--epochs",
    "3",
    "--batch-size",
    "64",
    "--lr",
    "0.002",
    "--latent-dim",
    "16",
    "--seed",
    "7",
    "--backend",
    "wasm",
    "--data",
    "data/fashion",
    "--out",
    "runs/x",
    "--train-size",
    "100",
    "--test-size",
    "50",
  ]);
  assertEquals(cmd, {
    kind: "train",
    options: {
      model: "conv",
      epochs: 3,
      batchSize: 64,
      lr: 0.002,
      latentDim: 16,
      seed: 7,
      trainSize: 100,
      testSize: 50,
      backend: "wasm",
      data: "data/fashion",
      out: "runs/x",
      quiet: false,
    },
    report: false,
  });
});

Deno.test("resume takes the run folder and may extend the epochs", () => {
  assertEquals(parseTrainArgs(["--resume", "runs/x", "--epochs", "20"]), {
    kind: "resume",
    runDir: "runs/x",
    options: { epochs: 20, backend: undefined, workers: undefined, quiet: false },
    report: false,
  });
  assertEquals(parseTrainArgs(["--resume", "runs/x", "--report"]).kind, "resume");
});

Deno.test("bad values name the flag and what was expected", async () => {
  await assertRejects(() => parseTrainArgs(["conv", "--epochs", "two"]), "--epochs two", "integer");
  await assertRejects(
    () => parseTrainArgs(["conv", "--backend", "gpu"]),
    "--backend gpu",
    "auto, webgpu, wasm, cpu",
  );
  await assertRejects(
    () => parseTrainArgs(["conv", "--batch-size", "0"]),
    "--batch-size",
    "at least 1",
  );
  await assertRejects(() => parseTrainArgs(["nope"]), 'unknown model "nope"');
  await assertRejects(() => parseTrainArgs([]), "expected one model name");
  await assertRejects(() => parseTrainArgs(["conv", "--colour"]), "colour");
  await assertRejects(
    () => parseTrainArgs(["--resume", "runs/x", "--lr", "1"]),
    "only --epochs, --backend, --workers and --parallel",
  );
});

Deno.test("--help lists every model with its defaults", () => {
  const cmd = parseTrainArgs(["--help"]);
  assertEquals(cmd.kind, "help");
  for (const name of Object.keys(MODELS)) assert(helpText().includes(`  ${name} `), name);
  assert(helpText().includes("--resume"));
});

Deno.test("the zoo's options: dropout, early stopping, noise, width and model weights", async () => {
  const cmd = parseTrainArgs([
    "denoising",
    "--dropout",
    "0.2",
    "--early-stopping",
    "3",
    "--noise",
    "saltpepper",
    "--noise-level",
    "0.1",
    "--optimizer",
    "adamw",
    "--weight-decay",
    "0.01",
  ]);
  assertEquals(cmd.kind === "train" && cmd.options, {
    model: "denoising",
    dropout: 0.2,
    earlyStopping: 3,
    noiseLevel: 0.1,
    weightDecay: 0.01,
    optimizer: "adamw",
    noise: "saltpepper",
    quiet: false,
  });
  const tconv = parseTrainArgs(["tconv", "--width", "32", "--latent-dim", "2"]);
  assertEquals(tconv.kind === "train" && [tconv.options.width, tconv.options.latentDim], [32, 2]);
  const stacked = parseTrainArgs(["stacked", "--pretrain-epochs", "2", "--epochs", "3"]);
  assertEquals(stacked.kind === "train" && stacked.options.pretrainEpochs, 2);
  const sparse = parseTrainArgs(["sparse", "--sparsity-weight", "0.01"]);
  assertEquals(sparse.kind === "train" && sparse.options.sparsityWeight, 0.01);
  const contractive = parseTrainArgs(["contractive", "--contractive-weight", "0.001"]);
  assertEquals(contractive.kind === "train" && contractive.options.contractiveWeight, 0.001);
  await assertRejects(() => parseTrainArgs(["dense", "--dropout", "1"]), "--dropout 1", "[0, 1)");
  await assertRejects(() => parseTrainArgs(["dense", "--noise", "pink"]), "--noise pink");
  await assertRejects(() => parseTrainArgs(["tconv", "--width", "0"]), "--width", "at least 1");
});

Deno.test("an option the model does not take is refused, naming the models that do", async () => {
  await assertRejects(
    () => parseTrainArgs(["sparse", "--contractive-weight", "0.001"]),
    "--contractive-weight applies to contractive only; sparse does not take it",
  );
  await assertRejects(
    () => parseTrainArgs(["conv", "--width", "64"]),
    "--width applies to tconv only",
  );
  await assertRejects(
    () => parseTrainArgs(["deepconv", "--latent-dim", "8"]),
    "--latent-dim does not apply to deepconv",
    "6x2x2 = 24",
    "it applies to dense, conv, tconv",
  );
  await assertRejects(() => parseTrainArgs(["dense", "--pretrain-epochs", "2"]), "stacked only");
});

Deno.test("--resume may name the run's model; --help lists every option and where it applies", () => {
  assertEquals(parseTrainArgs(["conv", "--resume", "runs/x"]), {
    kind: "resume",
    runDir: "runs/x",
    options: {
      epochs: undefined,
      backend: undefined,
      workers: undefined,
      quiet: false,
      model: "conv",
    },
    report: false,
  });
  const text = helpText();
  assert(text.includes("--width N") && text.includes("(tconv only)"), "width's models");
  assert(text.includes("(not deepconv)"), "latent-dim's models");
  assert(text.includes("--train-classes 3,5"), "the anomaly options are declared too");
});

Deno.test("--help shows each model's own defaults", () => {
  const text = helpText();
  assert(text.includes("--noise gaussian --noise-level 0.2"), "denoising's noise");
  assert(text.includes("--width 16"), "tconv's width");
  assert(text.includes("--pretrain-epochs 10"), "stacked's pre-training");
  assert(text.includes("--sparsity-weight 0.001"), "sparse's lambda");
});

Deno.test("the data sources' options: --grayscale is a flag, --ignore-columns a list of names", () => {
  const cmd = parseTrainArgs([
    "conv",
    "--data",
    "data/flowers",
    "--grayscale",
    "--image-size",
    "32x32",
    "--ignore-columns",
    "id, date",
    "--label-column",
    "kind",
    "--normalize",
    "standard",
  ]);
  assert(cmd.kind === "train");
  const { grayscale, imageSize, ignoreColumns, labelColumn, normalize } = cmd.options;
  assertEquals(
    [grayscale, imageSize, ignoreColumns, labelColumn, normalize],
    [true, "32x32", ["id", "date"], "kind", "standard"],
  );
  assert(
    thrownMessage(() => parseTrainArgs(["conv", "--ignore-columns", "a,,b"])).includes(
      "--ignore-columns a,,b: expected names separated by commas",
    ),
  );
  assert(
    thrownMessage(() => parseTrainArgs(["conv", "--normalize", "zscore"])).includes(
      "--normalize zscore: expected one of minmax, standard, none",
    ),
  );
});
