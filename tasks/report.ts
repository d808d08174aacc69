/**
 * `deno task report runs/<name>`: writes the run's self-contained `report.html`.
 *
 * ```sh
 * deno task report runs/conv-20261122-101500 --tsne-points 2000
 * ```
 *
 * @module
 */
import { runTask } from "../src/cli/main.ts";
import { parseReportArgs } from "../src/cli/run_tasks_args.ts";
import { writeReport } from "../src/report/report.ts";

await runTask(async () => {
  const cmd = parseReportArgs(Deno.args);
  if (cmd.kind === "help") return console.log(cmd.text);
  console.log(`wrote ${await writeReport(cmd.runDir, cmd.options)}`);
});
