/**
 * `deno task bench:tsne`: this project's t-SNE against scikit-learn's on the
 * same 10,000 x 64 features (a run's conv-AE test features, or PCA-64 of the
 * MNIST test pixels when no run has exported features), printing both times,
 * both KL divergences and both 10-NN label accuracies; `--full` also embeds all
 * 70,000 MNIST images (PCA-50 of the pixels) and reports time and peak memory.
 *
 * ```sh
 * deno task bench:tsne                     # features of the newest runs/*\/features.npz, or PCA-64
 * deno task bench:tsne --features runs/conv-20261122-101500 --threads 1
 * deno task bench:tsne --full --skip-sklearn
 * ```
 *
 * @module
 */
import { runTask } from "../src/cli/main.ts";
import { parseBenchTsneArgs } from "../src/cli/bench_args.ts";
import { loadMnist } from "../src/data/mnist.ts";
import { floatImages } from "../src/data/dataset.ts";
import { readNpy, writeNpy } from "../src/io/npy.ts";
import { jointProbabilities } from "../src/tsne/affinities.ts";
import { tsneGradient } from "../src/tsne/gradient.ts";
import { loadTsneInput } from "../src/tsne/input.ts";
import { nearestNeighbors } from "../src/tsne/knn.ts";
import { neighborAccuracy } from "../src/tsne/metrics.ts";
import { pca } from "../src/tsne/pca.ts";
import { tsne } from "../src/tsne/tsne.ts";

const PYTHON = "/usr/bin/python3";
const REFERENCE = new URL("./reference/tsne_sklearn.py", import.meta.url).pathname;

interface Features {
  data: Float32Array;
  dims: number;
  labels: Uint8Array;
  source: string;
}

async function newestRunFeatures(): Promise<string | undefined> {
  let best: { path: string; time: number } | undefined;
  try {
    for await (const run of Deno.readDir("runs")) {
      if (!run.isDirectory) continue;
      const path = `runs/${run.name}`;
      const stat = await Deno.stat(`${path}/features.npz`).catch(() => undefined);
      const time = stat?.mtime?.getTime() ?? -1;
      if (stat && (!best || time > best.time)) best = { path, time };
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return best?.path;
}

async function benchFeatures(path: string | undefined, n: number): Promise<Features> {
  const from = path ?? await newestRunFeatures();
  if (from) {
    const input = await loadTsneInput(from);
    if (!input.labels) throw new Error(`${from}: the benchmark needs labels`);
    const count = Math.min(n, input.n);
    return {
      data: input.data.subarray(0, count * input.dims),
      dims: input.dims,
      labels: input.labels.subarray(0, count),
      source: `${input.sources.join(", ")} (first ${count})`,
    };
  }
  const { test } = await loadMnist({ testSize: Math.min(n, 10000), seed: 0 });
  return {
    data: pca(floatImages(test), 784, { components: 64 }).projected,
    dims: 64,
    labels: test.labels,
    source: `PCA-64 of ${test.count} MNIST test images (no runs/*/features.npz yet)`,
  };
}

async function sklearnAvailable(): Promise<boolean> {
  try {
    const args = ["-c", "import sklearn.manifold"];
    return (await new Deno.Command(PYTHON, { args, stdout: "null", stderr: "null" }).output())
      .success;
  } catch {
    return false;
  }
}

interface Row {
  name: string;
  seconds: number;
  kl: number;
  exactKl: number;
  accuracy: number;
}

async function main(): Promise<void> {
  const cmd = parseBenchTsneArgs(Deno.args);
  const { seed, threads } = cmd;
  const f = await benchFeatures(cmd.features, cmd.n);
  const n = f.labels.length;
  const load = () => Deno.loadavg().map((l) => l.toFixed(2)).join(" ");
  console.log(`t-SNE benchmark: ${n} x ${f.dims} from ${f.source}`);
  console.log(
    `perplexity 30, 1000 iterations, theta 0.5, PCA init; load average before: ${load()}`,
  );
  const inputAccuracy = await neighborAccuracy(f.data, f.dims, f.labels);

  // The exact KL of an embedding under our P (the same kNN and calibration as scikit-learn's).
  const P = jointProbabilities(await nearestNeighbors(f.data, f.dims, { k: 91 }), {
    perplexity: 30,
  });
  const exactKl = async (embedding: Float32Array) =>
    (await tsneGradient(embedding, P, { exact: true })).kl;

  const rows: Row[] = [];
  const ours = await tsne(f.data, { dims: f.dims, seed, threads });
  rows.push({
    name: `diabolo (wasm, ${ours.threads} thread${ours.threads > 1 ? "s" : ""})`,
    seconds: ours.seconds.total,
    kl: ours.kl,
    exactKl: await exactKl(ours.embedding),
    accuracy: await neighborAccuracy(ours.embedding, 2, f.labels),
  });
  const phases = Object.entries(ours.seconds).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(", ");
  console.log(`diabolo threads: ${ours.threads} (${ours.threadsReason}); phases (s): ${phases}`);

  if (!cmd.skipSklearn && await sklearnAvailable()) {
    const dir = await Deno.makeTempDir({ dir: ".tmp", prefix: "bench_tsne_" });
    try {
      await Deno.writeFile(`${dir}/features.npy`, writeNpy(f.data, [n, f.dims]));
      const out = await new Deno.Command(PYTHON, {
        args: [REFERENCE, `${dir}/features.npy`, `${dir}/sklearn.npy`, "--seed", String(seed)],
      }).output();
      if (!out.success) {
        throw new Error(`scikit-learn failed:\n${new TextDecoder().decode(out.stderr)}`);
      }
      const ref = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
      const embedding = readNpy(await Deno.readFile(`${dir}/sklearn.npy`)).data as Float32Array;
      rows.push({
        name: `scikit-learn ${ref.sklearn}`,
        seconds: ref.seconds,
        kl: ref.kl,
        exactKl: await exactKl(embedding),
        accuracy: await neighborAccuracy(embedding, 2, f.labels),
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  } else {
    console.log(
      `(scikit-learn skipped: ${cmd.skipSklearn ? "--skip-sklearn" : `no sklearn in ${PYTHON}`})`,
    );
  }

  console.log(`\n10-NN label accuracy of the ${f.dims}-d input: ${inputAccuracy.toFixed(4)}`);
  console.log(
    "| implementation | seconds | KL (own, Barnes-Hut Z) | KL (exact) | 10-NN accuracy |",
  );
  console.log("|---|---:|---:|---:|---:|");
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.kl.toFixed(4)} | ${r.exactKl.toFixed(4)} | ${
        r.accuracy.toFixed(4)
      } |`,
    );
  }
  if (rows.length === 2) {
    const [a, b] = rows;
    console.log(
      `\ntime ratio ${(a.seconds / b.seconds).toFixed(3)} (goal <= 0.333), ` +
        `exact KL ratio ${(a.exactKl / b.exactKl).toFixed(3)} (goal <= 1.05), ` +
        `accuracy difference ${(a.accuracy - b.accuracy).toFixed(4)} (goal >= -0.01)`,
    );
  }
  console.log(`load average after: ${load()}`);
  if (cmd.full) await full(seed, threads);
}

// All 70,000 MNIST images, PCA-50 of the pixels, with time and peak resident memory.
async function full(seed: number, threads: number | undefined): Promise<void> {
  const { train, test } = await loadMnist();
  const images = new Float32Array(train.images.length + test.images.length);
  images.set(floatImages(train));
  images.set(floatImages(test), train.images.length);
  const labels = new Uint8Array([...train.labels, ...test.labels]);
  let peak = Deno.memoryUsage().rss;
  const sample = () => (peak = Math.max(peak, Deno.memoryUsage().rss));
  const start = performance.now();
  const reduced = pca(images, 784, { components: 50, seed }).projected;
  const pcaSeconds = (performance.now() - start) / 1000;
  sample();
  const r = await tsne(reduced, { dims: 50, seed, threads, onProgress: sample });
  const total = (performance.now() - start) / 1000;
  const accuracy = await neighborAccuracy(r.embedding, 2, labels);
  const phases = Object.entries(r.seconds).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(", ");
  console.log(
    `\n70,000 MNIST images (PCA-50 of pixels): ${total.toFixed(1)} s in all (PCA-50 ${
      pcaSeconds.toFixed(1)
    } s; ` +
      `t-SNE ${phases}), ${r.threads} thread(s) (${r.threadsReason}), KL ${
        r.kl.toFixed(4)
      }, 10-NN accuracy ${accuracy.toFixed(4)}, ` +
      `peak RSS ${(peak / 2 ** 30).toFixed(2)} GiB (goals: < 60 s, < 2 GB)`,
  );
}

if (import.meta.main) await runTask(main);
