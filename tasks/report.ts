/**
 * `deno task report runs/<name>`: writes the run's self-contained `report.html`.
 *
 * ```sh
 * deno task report runs/conv-20261122-101500 --tsne-points 2000
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { writeReport } from "../src/report/report.ts";
import type { BackendRequest } from "../src/backend/backend.ts";
import { runTask } from "../src/cli/main.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    "tsne-points": { type: "string" },
    backend: { type: "string" },
    out: { type: "string" },
    help: { type: "boolean" },
  },
});
if (values.help || positionals.length !== 1) {
  console.log(
    "Usage: deno task report runs/<name> [--tsne-points N (default 2000, 0: none)] [--backend B] [--out FILE]",
  );
  Deno.exit(values.help ? 0 : 2);
}
const points = values["tsne-points"] === undefined ? undefined : Number(values["tsne-points"]);
if (points !== undefined && !(Number.isInteger(points) && points >= 0)) {
  console.error(`error: --tsne-points ${values["tsne-points"]}: expected a non-negative integer`);
  Deno.exit(2);
}
await runTask(async () => {
  const path = await writeReport(positionals[0], {
    tsnePoints: points,
    backend: values.backend as BackendRequest | undefined,
    out: values.out,
  });
  console.log(`wrote ${path}`);
});
