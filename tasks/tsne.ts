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
import { runTask, UsageError } from "../src/cli/main.ts";
import { parseTsneArgs, type TsneCommand, tsneGrants } from "../src/cli/tsne_args.ts";
import { Progress } from "../src/cli/progress.ts";
import { writeFileAtomic } from "../src/io/atomic.ts";
import { PermissionError } from "../src/io/permissions.ts";
import { writeNpy } from "../src/io/npy.ts";
import { scatterPlot } from "../src/plot/scatter.ts";
import { scatterHtml } from "../src/plot/scatter_html.ts";
import { loadTsneInput } from "../src/tsne/input.ts";
import { RUN_FILES } from "../src/run/run_folder.ts";
import { neighborAccuracy } from "../src/tsne/metrics.ts";
import { chooseThreads } from "../src/tsne/threads.ts";
import { tsne, type TsneProgress } from "../src/tsne/tsne.ts";

/** The progress bar of the embedding's iterations, with the KL so far. */
function progressBar(quiet: boolean): (p: TsneProgress) => void {
  let bar: Progress | undefined;
  return (p) => {
    bar ??= new Progress({ label: "t-SNE", total: p.iterations, quiet, heartbeat: 10 });
    bar.update(
      p.iteration,
      `KL ${p.kl.toFixed(4)}${p.phase === "exaggeration" ? " (exaggerated phase)" : ""}`,
    );
    if (p.iteration === p.iterations) bar.finish("done");
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
  const cmd = parseTsneArgs(args);
  if (cmd.kind === "help") return console.log(cmd.text);
  try {
    await run(cmd);
  } catch (e) {
    const denied = e instanceof PermissionError || e instanceof Deno.errors.NotCapable ||
      e instanceof Deno.errors.PermissionDenied;
    if (!denied) throw e;
    // Name the exact grants: the input's folder to read, the output folder to read and write.
    throw new UsageError(
      `${e.message}\ndeno task tsne reads runs/ and data/ and writes runs/; for other folders run\n` +
        `  deno run ${tsneGrants(args)} tasks/tsne.ts ${args.join(" ")}`,
    );
  }
}

async function run(cmd: TsneCommand): Promise<void> {
  const { quiet } = cmd;
  const input = await loadTsneInput(cmd.input, { labels: cmd.labels });
  const outDir = cmd.out ?? input.defaultOutDir;
  const options = { dims: input.dims, ...cmd.tsne };
  if (!quiet) {
    console.error(`t-SNE of ${input.n} x ${input.dims} from ${input.sources.join(", ")}`);
    // The calibration's answer is kept for the process: tsne() below reuses it.
    const { threads, reason } = cmd.tsne.threads === undefined
      ? await chooseThreads()
      : { threads: cmd.tsne.threads, reason: "requested with --threads" };
    console.error(`threads: ${threads} (${reason})`);
  }
  const result = await tsne(input.data, { ...options, onProgress: progressBar(!!quiet) });
  const accuracy = input.labels
    ? await neighborAccuracy(result.embedding, 2, input.labels)
    : undefined;
  const title = cmd.title ?? `t-SNE of ${cmd.input}`;
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
    threadsReason: result.threadsReason,
    kl: result.kl,
    klHistory: result.klHistory,
    neighborAccuracy10: accuracy ?? null,
    seconds: result.seconds,
  };
  await writeFileAtomic(`${outDir}/embedding.npy`, writeNpy(result.embedding, [result.n, 2]));
  await writeFileAtomic(`${outDir}/tsne.json`, JSON.stringify(report, null, 2) + "\n");
  await writeFileAtomic(
    `${outDir}/${RUN_FILES.tsnePlot}`,
    scatterPlot(result.embedding, { labels: input.labels, classNames: input.classNames, title })
      .toPng(),
  );
  const subtitle =
    `${result.n} points, perplexity ${result.perplexity}, ${result.iterations} iterations, ` +
    `KL ${result.kl.toFixed(4)}${
      accuracy === undefined ? "" : `, 10-NN accuracy ${accuracy.toFixed(4)}`
    }`;
  await writeFileAtomic(
    `${outDir}/tsne.html`,
    scatterHtml(result.embedding, {
      labels: input.labels,
      classNames: input.classNames,
      title,
      subtitle,
    }),
  );
  if (!quiet) {
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
