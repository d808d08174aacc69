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
import { backendOption, parseTaskArgs, runTask, UsageError } from "../src/cli/main.ts";
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
    metric: "val_loss",
    label: "test BCE, 5 epochs",
    bound: 0.096,
    direction: "max",
    reference: "0.086-0.096",
  },
  dense: {
    epochs: 5,
    metric: "val_loss",
    label: "test MSE, 5 epochs",
    bound: 0.084,
    direction: "max",
    reference: "0.072-0.084",
  },
  vae: {
    epochs: 5,
    metric: "val_loss",
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
  const { values, positionals } = parseTaskArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      seeds: { type: "string", default: "0" },
      backend: { type: "string", default: "auto" },
      out: { type: "string", default: "runs/quality" },
    },
  });
  const models = positionals.length ? positionals : Object.keys(GOALS);
  const unknown = models.find((m) => !GOALS[m]);
  if (unknown) {
    throw new UsageError(
      `no quality goal for "${unknown}"; models: ${Object.keys(GOALS).join(", ")}`,
    );
  }
  const seeds = values.seeds.split(",").map(Number);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new UsageError(`--seeds ${values.seeds}: expected comma-separated non-negative integers`);
  }

  const rows: string[][] = [];
  for (const model of models) {
    const goal = GOALS[model];
    for (const seed of seeds) {
      const t0 = performance.now();
      const result = await train({
        model,
        seed,
        ...(goal.epochs && { epochs: goal.epochs }),
        backend: backendOption(values.backend),
        out: `${values.out}/${model}-s${seed}`,
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
  await ensureDir(values.out);
  await writeFileAtomic(`${values.out}/quality.md`, table + "\n");
});
