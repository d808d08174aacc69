/**
 * `deno task train <model>`: trains an autoencoder of the zoo on MNIST-style data.
 *
 * ```sh
 * deno task train conv --epochs 1 --seed 0
 * deno task train --resume runs/conv-20261122-101500 --epochs 20
 * ```
 *
 * @module
 */
import { parseTrainArgs, UsageError } from "../src/cli/train_args.ts";
import { resume, train } from "../src/train/loop.ts";
import { IdxError } from "../src/data/idx.ts";
import { PermissionError } from "../src/io/permissions.ts";

try {
  const cmd = parseTrainArgs(Deno.args);
  if (cmd.kind === "help") console.log(cmd.text);
  else {
    const result = cmd.kind === "train"
      ? await train(cmd.options)
      : await resume(cmd.runDir, cmd.options);
    const last = result.metrics.at(-1);
    if (last) {
      const accuracy = typeof last.best_test_accuracy === "number"
        ? `; best test accuracy ${last.best_test_accuracy.toFixed(2)} %`
        : "";
      console.log(
        `done: ${result.runDir} (test loss ${
          last.val_loss.toFixed(4)
        } after epoch ${last.epoch}${accuracy})`,
      );
    }
  }
} catch (e) {
  if (e instanceof UsageError || e instanceof IdxError || e instanceof PermissionError) {
    console.error(`error: ${e.message}`);
    Deno.exit(2);
  }
  throw e;
}
