/**
 * `deno task quality [model...]`: trains each model of the quality table to
 * its measuring point with its seed tutorial's settings and prints the table
 * (model, metric, ours, PyTorch reference, backend, seconds), also written
 * to `runs/quality/quality.md`. The PyTorch ranges are PyTorch 1.13 on CPU,
 * same architecture and hyper-parameters, seeds 0-2.
 *
 * ```sh
 * deno task quality                  # conv, dense, vae, stacked
 * deno task quality dense vae --seeds 0,1,2 --backend wasm
 * ```
 *
 * @module
 */
import { runTask } from "../src/cli/main.ts";
import { parseQualityArgs } from "../src/cli/run_tasks_args.ts";
import { train } from "../src/train/train.ts";
import { ensureDir, writeFileAtomic } from "../src/io/atomic.ts";

/** A model's measuring point and goal. */
interface Goal {
  /** Epochs to train (the schedule's own when absent). */
  epochs?: number;
  /** Key of `metrics.jsonl` read after the last epoch. */
  metric: string;
  label: string;
  /** Ours must be at most (`max`) or at least (`min`) this. */
  bound: number;
  direction: "max" | "min";
  reference: string;
}

const GOALS: Record<string, Goal> = {
  conv: {
    epochs: 5,
    metric: "test_loss",
    label: "test BCE, 5 epochs",
    bound: 0.096,
    direction: "max",
    reference: "0.086-0.096",
  },
  dense: {
    epochs: 5,
    metric: "test_loss",
    label: "test MSE, 5 epochs",
    bound: 0.084,
    direction: "max",
    reference: "0.072-0.084",
  },
  vae: {
    epochs: 5,
    metric: "test_loss",
    label: "test loss / image, 5 epochs",
    bound: 158.5,
    direction: "max",
    reference: "157.9-158.2",
  },
  stacked: {
    metric: "best_test_accuracy",
    label: "fine-tuned test accuracy %",
    bound: 98.5,
    direction: "min",
    reference: "97.63-97.66 (tasks/reference/stacked_torch.py)",
  },
};

await runTask(async () => {
  const { models, seeds, backend, out } = parseQualityArgs(Deno.args, Object.keys(GOALS));

  const rows: string[][] = [];
  for (const model of models) {
    const goal = GOALS[model];
    for (const seed of seeds) {
      const t0 = performance.now();
      const result = await train({
        model,
        seed,
        ...(goal.epochs && { epochs: goal.epochs }),
        backend,
        out: `${out}/${model}-s${seed}`,
        quiet: true,
        log: (line) => line.startsWith("epoch") && console.error(`${model} s${seed} ${line}`),
      });
      const seconds = (performance.now() - t0) / 1000;
      const ours = Number(result.metrics.at(-1)?.[goal.metric]);
      const pass = goal.direction === "max" ? ours <= goal.bound : ours >= goal.bound;
      rows.push([
        model,
        `${goal.label} (${goal.direction === "max" ? "<=" : ">="} ${goal.bound})`,
        `${ours.toFixed(model === "stacked" ? 2 : model === "vae" ? 1 : 4)}${
          pass ? "" : " (missed)"
        }`,
        goal.reference,
        String(seed),
        result.backend.name,
        seconds.toFixed(0),
      ]);
    }
  }
  const header = [
    "model",
    "metric (goal)",
    "ours",
    "PyTorch 1.13 CPU",
    "seed",
    "backend",
    "seconds",
  ];
  const table = [header, header.map(() => "---"), ...rows].map((r) => `| ${r.join(" | ")} |`)
    .join("\n");
  console.log(table);
  await ensureDir(out);
  await writeFileAtomic(`${out}/quality.md`, table + "\n");
});
