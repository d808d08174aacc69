/** The developers' task command lines: bench:train's backends and counts, bench:anomaly's digits or CSV, detector settings, and bad values naming their flag. */
import { assert, assertEquals, thrownMessage as message } from "./_assert.ts";
import {
  parseBenchAnomalyArgs,
  parseBenchTrainArgs,
  parseBenchTsneArgs,
} from "../src/cli/bench_args.ts";

Deno.test("bench:anomaly: all ten digits by default, the detector's settings as given", () => {
  assertEquals(parseBenchAnomalyArgs([]), {
    kind: "mnist",
    digits: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    detector: {},
    python: undefined,
  });
  assertEquals(
    parseBenchAnomalyArgs([
      "--digits",
      "2,5",
      "--model",
      "dense",
      "--latent-dim",
      "16",
      "--lr",
      "0.002",
      "--score",
      "mae",
      "--seed",
      "1",
      "--skip-sklearn",
    ]),
    {
      kind: "mnist",
      digits: [2, 5],
      detector: { model: "dense", latentDim: 16, lr: 0.002, score: "mae", seed: 1 },
      python: null,
    },
  );
});

Deno.test("bench:anomaly --csv needs the label column and the normal labels", () => {
  const cmd = parseBenchAnomalyArgs([
    "--csv",
    "data/t.csv",
    "--label-column",
    "y",
    "--normal",
    "B, C",
    "--epochs",
    "5",
  ]);
  assertEquals(cmd, {
    kind: "csv",
    csv: "data/t.csv",
    labelColumn: "y",
    normal: ["B", "C"],
    detector: { epochs: 5 },
    python: undefined,
  });
  assert(message(() => parseBenchAnomalyArgs(["--csv", "t.csv"])).includes("--label-column"));
});

Deno.test("bench:anomaly: a bad value names its flag", () => {
  const cases: [string[], string][] = [
    [["--model", "pca"], "--model pca: expected one of"],
    [["--score", "l2"], "--score l2: expected one of"],
    [["--epochs", "0"], "--epochs 0: expected an integer of at least 1"],
    [["--lr=-1"], "--lr -1: expected a number above 0"],
    [["--seed", "x"], "--seed x"],
    [["--digits", "2,a"], "--digits 2,a"],
    [["--nope"], "nope"],
  ];
  for (const [args, mention] of cases) {
    const m = message(() => parseBenchAnomalyArgs(args));
    assert(m.includes(mention), `${args.join(" ")}: ${m}`);
  }
});

Deno.test("bench:train: wasm, three models and MNIST by default; a bad backend, model, count or data names its flag", () => {
  assertEquals(parseBenchTrainArgs([]), {
    backend: "wasm",
    models: ["conv", "dense", "vae"],
    steps: 20,
    warmup: 5,
    rounds: 1,
    profile: false,
    noTorch: false,
    data: "mnist",
    python: undefined,
    stock: false,
    workers: [],
  });
  assertEquals(parseBenchTrainArgs(["--workers", "1,2"]).workers, [1, 2]);
  assert(message(() => parseBenchTrainArgs(["--workers", "0"])).startsWith("--workers 0"));
  const webgpu = parseBenchTrainArgs(["--backend", "webgpu", "--models", "conv", "--stock"]);
  assertEquals([webgpu.backend, webgpu.models, webgpu.stock], ["webgpu", ["conv"], true]);
  assert(message(() => parseBenchTrainArgs(["--backend", "auto"])).startsWith("--backend auto"));
  assert(message(() => parseBenchTrainArgs(["--models", "conv,unet"])).includes("unet unknown"));
  assert(message(() => parseBenchTrainArgs(["--steps", "0"])).startsWith("--steps 0"));
  assertEquals(parseBenchTrainArgs(["--data", "uniform"]).data, "uniform");
  assert(message(() => parseBenchTrainArgs(["--data", "cifar"])).startsWith("--data cifar"));
});

Deno.test("bench:train --python names the PyTorch to compare with; not together with --no-torch", () => {
  assertEquals(
    parseBenchTrainArgs(["--python", ".tmp/py/bin/python"]).python,
    ".tmp/py/bin/python",
  );
  assertEquals(parseBenchTrainArgs(["--no-torch"]).noTorch, true);
  assert(
    message(() => parseBenchTrainArgs(["--python", "/usr/bin/python3", "--no-torch"]))
      .startsWith("--python and --no-torch"),
  );
  assert(message(() => parseBenchTrainArgs(["--python"])).includes("python"));
});

Deno.test("bench:tsne: 10,000 points, the calibrated thread count and seed 0 by default; --full adds all 70,000", () => {
  assertEquals(parseBenchTsneArgs([]), {
    features: undefined,
    n: 10000,
    threads: undefined,
    seed: 0,
    skipSklearn: false,
    full: false,
  });
  const cmd = parseBenchTsneArgs(["--full", "--skip-sklearn", "--threads", "2", "--n", "500"]);
  assertEquals([cmd.full, cmd.skipSklearn, cmd.threads, cmd.n], [true, true, 2, 500]);
  assert(message(() => parseBenchTsneArgs(["--threads", "0"])).startsWith("--threads 0"));
  assert(message(() => parseBenchTsneArgs(["--n", "1"])).startsWith("--n 1"));
});
