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
import { backendOption, parseTaskArgs, runTask, UsageError } from "../src/cli/main.ts";
import { exportFeatures } from "../src/features/export.ts";

const USAGE = "Usage: deno task embed runs/<name> [--backend auto|webgpu|wasm|cpu] [--out DIR]";

await runTask(async () => {
  const { values, positionals } = parseTaskArgs({
    args: Deno.args,
    allowPositionals: true,
    options: { backend: { type: "string" }, out: { type: "string" }, help: { type: "boolean" } },
  });
  if (values.help) return console.log(USAGE);
  if (positionals.length !== 1) throw new UsageError(`expected one run folder\n${USAGE}`);
  const t0 = performance.now();
  const r = await exportFeatures(positionals[0], {
    backend: backendOption(values.backend),
    out: values.out,
  });
  console.log(
    `train features (${r.trainCount}, ${r.dims}), test features (${r.testCount}, ${r.dims})`,
  );
  for (const f of r.files) console.log(`wrote ${f}`);
  console.log(`10-NN label accuracy of the test features: ${r.testAccuracy.toFixed(4)}`);
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s`);
});
