/**
 * Writes the conv AE's initial weights for a seed, and that seed's epoch-0
 * data order, as `.npy` files, so `conv_from_diabolo_init.py` can train
 * PyTorch from exactly diabolo's starting point.
 *
 * ```sh
 * deno run --allow-write=.tmp tasks/reference/dump_conv_init.ts 0 .tmp/init
 * /usr/bin/python3 tasks/reference/conv_from_diabolo_init.py .tmp/init $(deno run tasks/mnist_dir.ts)
 * ```
 *
 * @module
 */
import { initBackend } from "../../src/backend/backend.ts";
import { MODELS } from "../../src/models/registry.ts";
import { writeNpy } from "../../src/io/npy.ts";
import { batchOrder } from "../../src/data/dataset.ts";

const seed = Number(Deno.args[0] ?? 0);
const out = Deno.args[1] ?? ".tmp/init";
await initBackend({ backend: "cpu" });
const ae = MODELS.conv.build({ latentDim: 64, seed });
await Deno.mkdir(out, { recursive: true });
for (const w of ae.parameters.weights) {
  const values = w.read().dataSync() as Float32Array;
  await Deno.writeFile(
    `${out}/${w.originalName.replace("/", "__")}.npy`,
    writeNpy(values, w.shape as number[]),
  );
}
const order = Int32Array.from(batchOrder(60000, { seed, epoch: 0 }));
await Deno.writeFile(`${out}/order.npy`, writeNpy(order, [60000]));
console.log(`wrote seed ${seed}'s initial conv weights and epoch-0 order to ${out}`);
