/**
 * `deno task embed runs/<name>`: the encoder's features of all train and test
 * images as `features.npz` and `.npy`, and their 10-NN label accuracy.
 *
 * ```sh
 * deno task embed runs/conv-20261122-101500
 * python3 -c "import numpy as np; print(np.load('runs/conv-20261122-101500/features.npz')['test_features'].shape)"
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { exportFeatures } from "../src/features/export.ts";
import type { BackendRequest } from "../src/backend/backend.ts";
import { runTask } from "../src/cli/main.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { backend: { type: "string" }, out: { type: "string" }, help: { type: "boolean" } },
});
if (values.help || positionals.length !== 1) {
  console.log("Usage: deno task embed runs/<name> [--backend auto|webgpu|wasm|cpu] [--out DIR]");
  Deno.exit(values.help ? 0 : 2);
}
await runTask(async () => {
  const t0 = performance.now();
  const r = await exportFeatures(positionals[0], {
    backend: values.backend as BackendRequest | undefined,
    out: values.out,
  });
  console.log(
    `train features (${r.trainCount}, ${r.dims}), test features (${r.testCount}, ${r.dims})`,
  );
  for (const f of r.files) console.log(`wrote ${f}`);
  console.log(`10-NN label accuracy of the test features: ${r.testAccuracy.toFixed(4)}`);
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
});
