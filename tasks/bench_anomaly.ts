/**
 * `deno task bench:anomaly`: the MNIST one-class protocol. For each digit c,
 * diabolo's default detector trains on the training images of c only and
 * scores the whole test set; the ROC-AUC counts the other nine digits as
 * anomalies. In the same run, when a Python with scikit-learn is found
 * (the newer scikit-learn of `.tmp/py/bin/python3` and `/usr/bin/python3`, or `--python`), the
 * classical baselines on the same split: IsolationForest, OneClassSVM (rbf,
 * 2,000 images of the digit) and PCA-32 reconstruction error. Prints the
 * per-digit table, the means, the seconds and the load average.
 *
 * The tabular case (`--csv PATH --label-column NAME --normal VALUES`) splits a
 * CSV's rows (60/40 per label, seeded), trains a dense autoencoder of the
 * table's width on the normal training rows (min-max scaled by them), and
 * compares its test ROC-AUC with the same three baselines on the same split.
 *
 * ```sh
 * deno task bench:anomaly
 * deno task bench:anomaly --csv data/breast_cancer.csv --label-column diagnosis --normal benign
 * deno task bench:anomaly --digits 2,5,8 --model dense --latent-dim 16 --epochs 50 --score mse
 * deno task bench:anomaly --skip-sklearn
 * ```
 *
 * @module
 */
import { runTask } from "../src/cli/main.ts";
import { type BenchAnomalyCommand, parseBenchAnomalyArgs } from "../src/cli/bench_args.ts";
import { loadMnist, packagedMnistDir } from "../src/data/mnist.ts";
import { getModel } from "../src/models/registry.ts";
import { detectorSettings, oneClassAuc } from "../src/anomaly/one_class.ts";
import type { Dataset } from "../src/data/dataset.ts";
import { readCsv } from "../src/io/csv.ts";
import { writeNpy } from "../src/io/npy.ts";
import { tabularOneClass } from "../src/anomaly/tabular.ts";
import { findPython } from "../src/cli/python.ts";

const PYTHONS = [".tmp/py/bin/python3", "/usr/bin/python3"];
const REFERENCE = new URL("./reference/anomaly_sklearn.py", import.meta.url).pathname;
const BASELINES = ["iforest", "ocsvm", "pca32"] as const;
type Baseline = typeof BASELINES[number];
interface BaselineRow extends Record<Baseline, number> {
  digit: number;
  seconds: Record<Baseline, number>;
  sklearn: string;
  /** PCA's components: 32, or half the columns of a narrower table. */
  pca_components: number;
}

function load(): string {
  return Deno.loadavg().map((v) => v.toFixed(2)).join(" ");
}

// The Python with the newest scikit-learn (and numpy) of `--python` or PYTHONS.
async function sklearnPython(given?: string): Promise<string | undefined> {
  const options = { given, candidates: PYTHONS, module: "sklearn", alsoImports: ["numpy"] };
  return (await findPython(options))?.python;
}

async function baselines(python: string, args: string[]): Promise<BaselineRow[]> {
  const out = await new Deno.Command(python, {
    args: [REFERENCE, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (out.code !== 0) {
    throw new Error(`${REFERENCE} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return new TextDecoder().decode(out.stdout).trim().split("\n").map((l) => JSON.parse(l));
}

await runTask(async () => {
  const start = performance.now();
  const cmd = parseBenchAnomalyArgs(Deno.args);
  if (cmd.kind === "csv") return await tabularBench(cmd);
  const { digits } = cmd;
  const detector = detectorSettings(cmd.detector);
  const spec = getModel(detector.model);
  const settings = { ...spec.defaults, ...detector };
  const name =
    `diabolo ${detector.model} (latent ${settings.latentDim}, ${settings.epochs} epochs, ${detector.score})`;
  console.log(`MNIST one-class protocol, digits ${digits.join(",")}; load average ${load()}`);

  let rows: BaselineRow[] = [];
  let skLine = "";
  if (cmd.python === null) {
    skLine = "scikit-learn baselines skipped (--skip-sklearn)";
  } else {
    const python = await sklearnPython(cmd.python);
    if (!python) {
      skLine = `scikit-learn baselines skipped: no Python with scikit-learn and numpy at ${
        cmd.python ?? PYTHONS.join(" or ")
      } (python3 -m venv .tmp/py && .tmp/py/bin/pip install scikit-learn numpy)`;
    } else {
      const t = performance.now();
      rows = await baselines(python, [packagedMnistDir(), digits.join(",")]);
      skLine = `scikit-learn ${rows[0]?.sklearn} (${python}): ${
        ((performance.now() - t) / 1000).toFixed(1)
      } s for the three baselines, load average ${load()}`;
    }
  }
  console.log(skLine);

  const cache = new Map<string, Dataset>();
  const results = [];
  const t0 = performance.now();
  for (const digit of digits) {
    if (!cache.has(settings.scale)) {
      cache.set(settings.scale, (await loadMnist({ scale: settings.scale })).test);
    }
    const r = await oneClassAuc({
      ...detector,
      normalClass: digit,
      test: cache.get(settings.scale),
    });
    results.push(r);
    console.log(
      `digit ${digit}: AUC ${r.auc.toFixed(4)} (${r.seconds.toFixed(1)} s, load ${load()})`,
    );
  }
  const total = (performance.now() - t0) / 1000;

  const cols = [name, ...(rows.length ? ["IsolationForest", "OneClassSVM", "PCA-32"] : [])];
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const table = [
    line(["digit", ...cols]),
    line(["---", ...cols.map(() => "---")]),
    ...results.map((r, i) =>
      line([
        String(r.normalClass),
        r.auc.toFixed(4),
        ...(rows.length ? BASELINES.map((b) => rows[i][b].toFixed(4)) : []),
      ])
    ),
  ];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  table.push(line([
    "**mean**",
    mean(results.map((r) => r.auc)).toFixed(4),
    ...(rows.length ? BASELINES.map((b) => mean(rows.map((row) => row[b])).toFixed(4)) : []),
  ]));
  table.push(line([
    "seconds",
    total.toFixed(1),
    ...(rows.length
      ? BASELINES.map((b) => rows.reduce((s, row) => s + row.seconds[b], 0).toFixed(1))
      : []),
  ]));
  console.log(`\n${table.join("\n")}\n`);
  if (rows.length) {
    const ours = mean(results.map((r) => r.auc));
    const pca = mean(rows.map((r) => r.pca32));
    const worst = Math.min(...results.map((r, i) => r.auc - rows[i].iforest));
    console.log(
      `goal: mean ${ours.toFixed(4)} ${ours >= pca ? ">=" : "<"} PCA-32 ${pca.toFixed(4)}; ` +
        `worst digit vs IsolationForest ${worst >= 0 ? "+" : ""}${worst.toFixed(4)} (bar -0.02); ` +
        `whole benchmark ${((performance.now() - start) / 1000).toFixed(0)} s (bar 900 s)`,
    );
  }
  console.log(`load average at the end ${load()}`);
});

/** The tabular case: one CSV, diabolo's dense detector and the baselines on one split. */
async function tabularBench(
  cmd: Extract<BenchAnomalyCommand, { kind: "csv" }>,
): Promise<void> {
  const { csv: path, labelColumn, normal } = cmd;
  const { seed, epochs, batchSize, lr, latentDim } = cmd.detector;
  const table = readCsv(await Deno.readTextFile(path), { source: path, labelColumn });
  console.log(
    `tabular one-class protocol: ${path}, ${table.rows} rows x ${table.cols} columns, normal ${
      normal.join(",")
    }; load average ${load()}`,
  );
  const result = await tabularOneClass(table, { normal, seed, epochs, batchSize, lr, latentDim });
  const { split } = result;
  const nTest = split.testAnomalies.length;
  const anomalies = split.testAnomalies.reduce((a, b) => a + b, 0);
  console.log(
    `split: ${
      split.train.length / split.dims
    } normal training rows; ${nTest} test rows, ${anomalies} anomalies`,
  );
  let row: BaselineRow | undefined;
  const python = cmd.python === null ? undefined : await sklearnPython(cmd.python);
  if (python) {
    const dir = ".tmp/bench_anomaly";
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeFile(
      `${dir}/train.npy`,
      writeNpy(split.train, [split.train.length / split.dims, split.dims]),
    );
    await Deno.writeFile(`${dir}/test.npy`, writeNpy(split.test, [nTest, split.dims]));
    await Deno.writeFile(`${dir}/test_anomalies.npy`, writeNpy(split.testAnomalies, [nTest]));
    [row] = await baselines(python, ["--npy", dir]);
  } else {
    console.log("scikit-learn baselines skipped (--skip-sklearn, or no Python with scikit-learn)");
  }
  const cols = [
    "diabolo dense AE",
    ...(row ? ["IsolationForest", "OneClassSVM", `PCA-${row.pca_components}`] : []),
  ];
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  console.log(
    "\n" + [
      line(["data", ...cols]),
      line(["---", ...cols.map(() => "---")]),
      line([path, result.auc.toFixed(4), ...(row ? BASELINES.map((b) => row[b].toFixed(4)) : [])]),
      line([
        "seconds",
        result.seconds.toFixed(1),
        ...(row ? BASELINES.map((b) => row.seconds[b].toFixed(1)) : []),
      ]),
    ].join("\n") + "\n",
  );
  console.log(`load average at the end ${load()}`);
}
