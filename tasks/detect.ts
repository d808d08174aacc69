/**
 * `deno task detect runs/<name>`: anomaly detection with a trained run.
 *
 * ```sh
 * deno task train dense --train-classes 3 --out runs/dense-3
 * deno task detect runs/dense-3 --normal-classes 3 --contamination 0.1
 * ```
 *
 * @module
 */
import { parseDetectArgs } from "../src/cli/detect_args.ts";
import { runTask } from "../src/cli/main.ts";
import { detect } from "../src/anomaly/detect.ts";

await runTask(async () => {
  const cmd = parseDetectArgs(Deno.args);
  if (cmd.kind === "help") return console.log(cmd.text);
  const { outDir, record, files } = await detect(cmd.runDir, cmd.options);
  const t = record.threshold;
  console.log(
    `${record.samples} samples of ${record.data}, score ${record.score}; threshold ${
      t.value.toPrecision(5)
    } (${t.rule}, fitted on ${t.fitted_on}): ${record.flagged} flagged`,
  );
  const m = record.metrics;
  if (m) {
    const c = m.confusion_matrix;
    console.log(
      `normal classes ${
        record.normal_classes?.join(",")
      }, ${record.anomalies} anomalies (positive class): ` +
        `ROC-AUC ${m.roc_auc.toFixed(4)}  AP ${m.average_precision.toFixed(4)}  precision ${
          m.precision.toFixed(4)
        }  recall ${m.recall.toFixed(4)}  F1 ${
          m.f1.toFixed(4)
        }  (tp ${c.tp} fp ${c.fp} tn ${c.tn} fn ${c.fn})`,
    );
  }
  console.log(`wrote ${files.map((f) => `${outDir}/${f}`).join(", ")}`);
});
