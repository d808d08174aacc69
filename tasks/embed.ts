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
import { runTask } from "../src/cli/main.ts";
import { parseEmbedArgs } from "../src/cli/run_tasks_args.ts";
import { exportFeatures } from "../src/features/export.ts";

await runTask(async () => {
  const cmd = parseEmbedArgs(Deno.args);
  if (cmd.kind === "help") return console.log(cmd.text);
  const t0 = performance.now();
  const r = await exportFeatures(cmd.runDir, { ...cmd.options, log: console.log });
  console.log(
    `train features (${r.trainCount}, ${r.dims}), test features (${r.testCount}, ${r.dims})`,
  );
  for (const f of r.files) console.log(`wrote ${f}`);
  console.log(`10-NN label accuracy of the test features: ${r.testAccuracy.toFixed(4)}`);
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
});
