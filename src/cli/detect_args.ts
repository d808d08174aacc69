/**
 * The command line of `deno task detect`: parsing, validation and `--help`.
 *
 * ```ts
 * import { parseDetectArgs } from "./detect_args.ts";
 * const cmd = parseDetectArgs(["runs/conv-3", "--normal-classes", "3", "--contamination", "0.1"]);
 * // cmd.kind === "detect"; cmd.options.threshold => { kind: "contamination", p: 0.1 }
 * ```
 *
 * @module
 */
import { backendOption, numberOption, parseTaskArgs, UsageError } from "./main.ts";
import { parseClassList } from "../data/classes.ts";
import { type ScoreName, SCORES } from "../anomaly/scores.ts";
import { contaminationRule, parseThresholdRule } from "../anomaly/threshold.ts";
import type { DetectOptions } from "../anomaly/detect.ts";
import { UserError } from "../errors.ts";

/** What the command line asks for. */
export type DetectCommand =
  | { kind: "help"; text: string }
  | { kind: "detect"; runDir: string; options: DetectOptions };

/** `--help`. */
export const DETECT_HELP = `Usage: deno task detect runs/<name> [options]

Scores every sample by how badly the run's model reconstructs it, flags those above a threshold
fitted on the run's validation scores (--val-split) or else its training scores, and writes scores.npy, anomalies.csv, detect.json, scores.png,
roc.png, pr.png and anomalies.png into the run folder (or --out).

Options:
  --data PATH            other data of the run's kind, scored on its test split: an IDX,
                         CIFAR-10 or image folder, a .npz or CSV file (read with the run's
                         CSV columns, scaling, image size); a .npy of images is scored whole
                         (default: the run's own test split)
  --normal-classes 3,5   classes that are normal, every other one an anomaly (default: the run's
                         --train-classes); gives ROC-AUC, average precision, precision/recall/F1
  --anomaly-label 1      the label that marks anomalies, every other label being normal (for data
                         labelled 0/1 as normal/anomaly); instead of --normal-classes
  --score mse|mae|bce|elbo   per-sample score (default: the run's --loss; elbo: a VAE's
                             negative ELBO)
  --threshold RULE       mean+K*std of the training scores (default mean+1*std), or a number
  --contamination P      the (1-P) quantile of the training scores, as PyOD (P in (0, 0.5])
  --out DIR              where to write (default: the run folder)
  --top N                inputs shown in anomalies.png (default 10)
  --backend auto|webgpu|wasm|cpu
  --help                 this text
`;

/**
 * Parses and validates `deno task detect` arguments.
 *
 * @example
 * ```ts
 * parseDetectArgs(["runs/dense-1", "--threshold", "mean+2*std"]); // { kind: "detect", ... }
 * ```
 */
export function parseDetectArgs(args: string[]): DetectCommand {
  const { values, positionals } = parseTaskArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: "string" },
      "normal-classes": { type: "string" },
      "anomaly-label": { type: "string" },
      score: { type: "string" },
      threshold: { type: "string" },
      contamination: { type: "string" },
      out: { type: "string" },
      top: { type: "string" },
      backend: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) return { kind: "help", text: DETECT_HELP };
  if (positionals.length !== 1) {
    throw new UsageError("expected one run folder, e.g. deno task detect runs/conv-3 (see --help)");
  }
  const options: DetectOptions = { backend: backendOption(values.backend) };
  if (values.data !== undefined) options.data = values.data;
  if (values.out !== undefined) options.out = values.out;
  if (values.score !== undefined) {
    if (!(SCORES as readonly string[]).includes(values.score)) {
      throw new UsageError(`--score ${values.score}: expected one of ${SCORES.join(", ")}`);
    }
    options.score = values.score as ScoreName;
  }
  if (values.threshold !== undefined && values.contamination !== undefined) {
    throw new UsageError("--threshold and --contamination: give one of them, not both");
  }
  options.top = numberOption("--top", values.top, { integer: true, min: 1 });
  options.anomalyLabel = numberOption("--anomaly-label", values["anomaly-label"], {
    integer: true,
    min: 0,
  });
  try {
    if (values.threshold !== undefined) options.threshold = parseThresholdRule(values.threshold);
    if (values.contamination !== undefined) {
      options.threshold = contaminationRule(values.contamination);
    }
    if (values["normal-classes"] !== undefined) {
      options.normalClasses = parseClassList(values["normal-classes"], "--normal-classes");
    }
  } catch (e) {
    if (e instanceof UserError) throw new UsageError(e.message);
    throw e;
  }
  return { kind: "detect", runDir: positionals[0], options };
}
