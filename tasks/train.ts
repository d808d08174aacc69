/**
 * `deno task train <model>`: trains an autoencoder of the zoo on MNIST-style data.
 *
 * ```sh
 * deno task train conv --epochs 1 --seed 0
 * deno task train vae --report
 * deno task train --resume runs/conv-20261122-101500 --epochs 20
 * ```
 *
 * @module
 */
import { parseTrainArgs } from "../src/cli/train_args.ts";
import { runTask } from "../src/cli/main.ts";
import { resume, train } from "../src/train/train.ts";
import { writeReport } from "../src/report/report.ts";

await runTask(async () => {
  const cmd = parseTrainArgs(Deno.args);
  if (cmd.kind === "help") return console.log(cmd.text);
  const result = cmd.kind === "train"
    ? await train(cmd.options)
    : await resume(cmd.runDir, cmd.options);
  const last = result.metrics.at(-1);
  if (last) {
    const accuracy = typeof last.best_test_accuracy === "number"
      ? `; best test accuracy ${last.best_test_accuracy.toFixed(2)} %`
      : "";
    const val = last.val_loss === undefined ? "" : `validation loss ${last.val_loss.toFixed(4)}, `;
    console.log(
      `done: ${result.runDir} (${val}test loss ${
        last.test_loss.toFixed(4)
      } after epoch ${last.epoch}${accuracy})`,
    );
  }
  if (cmd.report) {
    console.log(`wrote ${await writeReport(result.runDir, { backend: result.backend.name })}`);
  }
});
