/**
 * `deno task tsne <input>`: embeds a run folder's test features, a `.npy`
 * or a CSV in 2-D with Barnes-Hut t-SNE, and writes `embedding.npy`,
 * `tsne.json`, `tsne.png` and `tsne.html` into `--out` (default: beside the input).
 *
 * ```sh
 * deno task tsne runs/conv
 * deno task tsne runs/features.npy --labels runs/labels.npy --perplexity 50 --out runs/tsne
 * ```
 *
 * @module
 */
import { parseTaskArgs, runTask, UsageError } from "../src/cli/main.ts";
import { writeFileAtomic } from "../src/io/atomic.ts";
import { PermissionError } from "../src/io/permissions.ts";
import { parseArgs } from "node:util";
import { writeNpy } from "../src/io/npy.ts";
import { scatterPlot } from "../src/plot/scatter.ts";
import { scatterHtml } from "../src/plot/scatter_html.ts";
import { loadTsneInput, RUN_FOLDER_INPUT } from "../src/tsne/input.ts";
import { neighborAccuracy } from "../src/tsne/metrics.ts";
import { tsne, type TsneProgress } from "../src/tsne/tsne.ts";

const HELP = `Usage: deno task tsne <input> [options]

<input>: a run folder (its ${RUN_FOLDER_INPUT.archive} test features, or ${RUN_FOLDER_INPUT.features}
         and ${RUN_FOLDER_INPUT.labels}), a 2-D .npy (float32/float64), or a numeric CSV (labels
         from a column named "label").

Options:
  --labels FILE        labels, one per row (.npy or one-column .csv)
  --out DIR            output folder (default: the run folder / the input's folder)
  --perplexity P       default 30
  --iterations N       default 1000 (the first 250 with early exaggeration 12)
  --theta T            Barnes-Hut angle, default 0.5; 0 = exact O(N^2)
  --pca D              first reduce to D principal components when the input is wider
  --init pca|random    default pca
  --seed S             default 0
  --learning-rate R    default auto = max(N / 12, 200)
  --threads T          default: one per hardware thread (at most 4), 1 on 2-thread machines
  --title TEXT         plot title (default: the input's name)
  --quiet              no progress output

Writes embedding.npy (N x 2 float32), tsne.json (parameters, KL, seconds per phase),
tsne.png and tsne.html (offline, interactive).
The task may read runs/ and data/ and write runs/; for other folders run
  deno run --allow-read=<in>,<out> --allow-write=<out> tasks/tsne.ts <input> --out <out>`;

function fail(message: string): never {
  throw new UsageError(message);
}

function number(name: string, value: string | undefined, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const v = Number(value);
  if (value.trim() === "" || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    fail(`--${name} expects ${integer ? "an integer" : "a number"}, got "${value}"`);
  }
  return v;
}

function progressBar(quiet: boolean): (p: TsneProgress) => void {
  const live = Deno.stderr.isTerminal();
  const start = performance.now();
  const encoder = new TextEncoder();
  return (p) => {
    if (quiet) return;
    const width = 30, done = Math.round((width * p.iteration) / p.iterations);
    const line =
      `t-SNE [${"#".repeat(done)}${".".repeat(width - done)}] ${p.iteration}/${p.iterations}` +
      `  KL ${p.kl.toFixed(4)}${p.phase === "exaggeration" ? " (exaggerated phase)" : ""}` +
      `  ${((performance.now() - start) / 1000).toFixed(1)} s`;
    const end = !live || p.iteration === p.iterations ? "\n" : "";
    Deno.stderr.writeSync(encoder.encode(`${live ? "\r\x1b[K" : ""}${line}${end}`));
  };
}

/**
 * Runs the command line `args` (what follows `deno task tsne`).
 *
 * @example
 * ```ts
 * await tsneCommand(["runs/features.npy", "--labels", "runs/labels.npy", "--quiet"]);
 * ```
 */
export async function tsneCommand(args: string[]): Promise<void> {
  try {
    await run(args);
  } catch (e) {
    const denied = e instanceof PermissionError || e instanceof Deno.errors.NotCapable ||
      e instanceof Deno.errors.PermissionDenied;
    if (!denied) throw e;
    // Name the exact grants: the input's folder to read, the output folder to read and write (rename needs both).
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      strict: false,
      options: OPTIONS,
    });
    const input = String(positionals[0] ?? "<input>").replace(/\/+$/, "");
    const inDir = /\.(npy|csv)$/.test(input) ? input.replace(/\/[^/]*$/, "") || "." : input;
    const outDir = typeof values.out === "string" ? values.out : inDir;
    const labels = typeof values.labels === "string" ? [values.labels] : [];
    const reads = [...new Set([inDir, outDir, ...labels])].join(",");
    throw new UsageError(
      `${e.message}\ndeno task tsne reads runs/ and data/ and writes runs/; for other folders run\n` +
        `  deno run --allow-read=${reads} --allow-write=${outDir} tasks/tsne.ts ${args.join(" ")}`,
    );
  }
}

const OPTIONS = {
  labels: { type: "string" },
  out: { type: "string" },
  perplexity: { type: "string" },
  iterations: { type: "string" },
  theta: { type: "string" },
  pca: { type: "string" },
  init: { type: "string" },
  seed: { type: "string" },
  "learning-rate": { type: "string" },
  threads: { type: "string" },
  title: { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

async function run(args: string[]): Promise<void> {
  const { values, positionals } = parseTaskArgs({
    args,
    allowPositionals: true,
    options: OPTIONS,
  });
  if (values.help) return console.log(HELP);
  if (positionals.length !== 1) fail(`expected one input, got ${positionals.length}\n\n${HELP}`);
  if (values.init && values.init !== "pca" && values.init !== "random") {
    fail(`--init expects pca or random, got "${values.init}"`);
  }
  const input = await loadTsneInput(positionals[0], { labels: values.labels });
  const outDir = values.out ?? input.defaultOutDir;
  const options = {
    dims: input.dims,
    perplexity: number("perplexity", values.perplexity) ?? 30,
    iterations: number("iterations", values.iterations, true) ?? 1000,
    theta: number("theta", values.theta) ?? 0.5,
    pca: number("pca", values.pca, true),
    init: (values.init ?? "pca") as "pca" | "random",
    seed: number("seed", values.seed, true) ?? 0,
    learningRate: number("learning-rate", values["learning-rate"]) ?? "auto" as const,
    threads: number("threads", values.threads, true),
  };
  if (!values.quiet) {
    console.error(`t-SNE of ${input.n} x ${input.dims} from ${input.sources.join(", ")}`);
  }
  const result = await tsne(input.data, { ...options, onProgress: progressBar(!!values.quiet) });
  const accuracy = input.labels
    ? await neighborAccuracy(result.embedding, 2, input.labels)
    : undefined;
  const title = values.title ?? `t-SNE of ${positionals[0]}`;
  await Deno.mkdir(outDir, { recursive: true });
  const report = {
    input: input.sources,
    n: result.n,
    dims: input.dims,
    pca: options.pca ?? null,
    perplexity: result.perplexity,
    iterations: result.iterations,
    theta: result.theta,
    learningRate: result.learningRate,
    init: options.init,
    seed: options.seed,
    threads: result.threads,
    kl: result.kl,
    klHistory: result.klHistory,
    neighborAccuracy10: accuracy ?? null,
    seconds: result.seconds,
  };
  await writeFileAtomic(`${outDir}/embedding.npy`, writeNpy(result.embedding, [result.n, 2]));
  await writeFileAtomic(`${outDir}/tsne.json`, JSON.stringify(report, null, 2) + "\n");
  await writeFileAtomic(
    `${outDir}/tsne.png`,
    scatterPlot(result.embedding, { labels: input.labels, title }).toPng(),
  );
  const subtitle =
    `${result.n} points, perplexity ${result.perplexity}, ${result.iterations} iterations, ` +
    `KL ${result.kl.toFixed(4)}${
      accuracy === undefined ? "" : `, 10-NN accuracy ${accuracy.toFixed(4)}`
    }`;
  await writeFileAtomic(
    `${outDir}/tsne.html`,
    scatterHtml(result.embedding, { labels: input.labels, title, subtitle }),
  );
  if (!values.quiet) {
    console.error(
      `KL ${result.kl.toFixed(4)}${
        accuracy === undefined ? "" : `  10-NN accuracy ${accuracy.toFixed(4)}`
      }` +
        `  ${
          result.seconds.total.toFixed(1)
        } s  -> ${outDir}/{embedding.npy,tsne.json,tsne.png,tsne.html}`,
    );
  }
}

if (import.meta.main) await runTask(() => tsneCommand(Deno.args));
