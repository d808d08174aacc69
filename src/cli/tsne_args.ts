/**
 * The command line of `deno task tsne`: its parser, `--help`, and the
 * permission hint that names the exact folders to grant.
 *
 * ```ts
 * import { parseTsneArgs } from "./tsne_args.ts";
 * const cmd = parseTsneArgs(["runs/conv", "--perplexity", "50"]);
 * console.log(cmd.kind === "run" && cmd.tsne.perplexity); // 50
 * ```
 *
 * @module
 */
import { numberOption, parseTaskArgs, UsageError } from "./main.ts";
import { RUN_FOLDER_INPUT } from "../tsne/input.ts";
import type { TsneOptions } from "../tsne/tsne.ts";

/** `deno task tsne --help`. */
export const TSNE_HELP = `Usage: deno task tsne <input> [options]

<input>: a run folder (its ${RUN_FOLDER_INPUT.archive} test features, or ${RUN_FOLDER_INPUT.features}
         and ${RUN_FOLDER_INPUT.labels}), a 2-D .npy of any numeric dtype, a .npz with
         ${RUN_FOLDER_INPUT.archiveKeys.features.join(", ")} (and labels), or a numeric CSV
         (labels from a column named "label").

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
  --threads T          default: measured by a short calibration (printed with the reason)
  --title TEXT         plot title (default: the input's name)
  --quiet              no progress output

Writes embedding.npy (N x 2 float32), tsne.json (parameters, KL, seconds per phase),
tsne.png and tsne.html (offline, interactive).
The task may read runs/ and data/ and write runs/; for other folders run
  deno run --allow-read=<in>,<out> --allow-write=<out> tasks/tsne.ts <input> --out <out>`;

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

/** A t-SNE to run, as the command line asks. */
export interface TsneCommand {
  /** What to run. */
  kind: "run";
  /** The input: a run folder, a `.npy`, a `.npz` or a `.csv`. */
  input: string;
  /** A file of labels, when given. */
  labels?: string;
  /** Output folder (default: beside the input). */
  out?: string;
  /** Plot title (default: from the input's name). */
  title?: string;
  /** No progress output. */
  quiet: boolean;
  /** The embedding's options, but `dims` (which the input decides). */
  tsne: Omit<TsneOptions, "dims" | "onProgress"> & { init: "pca" | "random"; seed: number };
}

/**
 * Parses and checks `deno task tsne` arguments; a bad value is a
 * `UsageError` naming the flag.
 *
 * @example
 * ```ts
 * import { parseTsneArgs } from "./tsne_args.ts";
 * parseTsneArgs(["--help"]); // { kind: "help", text: ... }
 * ```
 */
export function parseTsneArgs(args: string[]): TsneCommand | { kind: "help"; text: string } {
  const { values, positionals } = parseTaskArgs({ args, allowPositionals: true, options: OPTIONS });
  if (values.help) return { kind: "help", text: TSNE_HELP };
  if (positionals.length !== 1) {
    throw new UsageError(`expected one input, got ${positionals.length} (see --help)`);
  }
  if (values.init && values.init !== "pca" && values.init !== "random") {
    throw new UsageError(`--init ${values.init}: expected pca or random`);
  }
  const rate = values["learning-rate"];
  return {
    kind: "run",
    input: positionals[0],
    labels: values.labels,
    out: values.out,
    title: values.title,
    quiet: values.quiet === true,
    tsne: {
      perplexity: numberOption("--perplexity", values.perplexity, { above: 0 }) ?? 30,
      iterations: numberOption("--iterations", values.iterations, { integer: true, min: 1 }) ??
        1000,
      theta: numberOption("--theta", values.theta, { min: 0 }) ?? 0.5,
      pca: numberOption("--pca", values.pca, { integer: true, min: 1 }),
      init: (values.init ?? "pca") as "pca" | "random",
      seed: numberOption("--seed", values.seed, { integer: true, min: 0 }) ?? 0,
      learningRate: rate === "auto" || rate === undefined
        ? "auto"
        : numberOption("--learning-rate", rate, { above: 0 })!,
      threads: numberOption("--threads", values.threads, { integer: true, min: 1 }),
    },
  };
}

/**
 * The flags that grant what `deno task tsne <args>` needs: its input's folder
 * to read, the output folder to read and write (a rename needs both).
 *
 * @example
 * ```ts
 * import { tsneGrants } from "./tsne_args.ts";
 * tsneGrants(["data/x.npy", "--out", "out"]); // "--allow-read=data,out --allow-write=out"
 * ```
 */
export function tsneGrants(args: string[]): string {
  const { values, positionals } = parseTaskArgs({
    args,
    allowPositionals: true,
    strict: false,
    options: OPTIONS,
  });
  const input = String(positionals[0] ?? "<input>").replace(/\/+$/, "");
  const inDir = /\.(npy|npz|csv)$/.test(input) ? input.replace(/\/[^/]*$/, "") || "." : input;
  const outDir = typeof values.out === "string" ? values.out : inDir;
  const labels = typeof values.labels === "string" ? [values.labels] : [];
  const reads = [...new Set([inDir, outDir, ...labels])].join(",");
  return `--allow-read=${reads} --allow-write=${outDir}`;
}
