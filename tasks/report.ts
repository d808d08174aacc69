/**
 * `deno task report runs/<name>`: writes the run's self-contained `report.html`.
 *
 * ```sh
 * deno task report runs/conv-20261122-101500 --tsne-points 2000
 * ```
 *
 * @module
 */
import { backendOption, parseTaskArgs, runTask, UsageError } from "../src/cli/main.ts";
import { writeReport } from "../src/report/report.ts";

const USAGE = "Usage: deno task report runs/<name> [--tsne-points N (default 2000, 0: none)] " +
  "[--backend auto|webgpu|wasm|cpu] [--out FILE]";

await runTask(async () => {
  const { values, positionals } = parseTaskArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      "tsne-points": { type: "string" },
      backend: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) return console.log(USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one run folder\n${USAGE}`);
  const raw = values["tsne-points"];
  const points = raw === undefined ? undefined : Number(raw);
  if (points !== undefined && !(Number.isInteger(points) && points >= 0)) {
    throw new UsageError(`--tsne-points ${raw}: expected a non-negative integer`);
  }
  const path = await writeReport(positionals[0], {
    tsnePoints: points,
    backend: backendOption(values.backend),
    out: values.out,
  });
  console.log(`wrote ${path}`);
});
