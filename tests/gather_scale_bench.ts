/**
 * One epoch of 256-sample batches from MNIST's training images as float32:
 * the `gather_scale` kernel on the 47 MB of bytes against its TS reference
 * (a division per byte), and against copying the batches out of a 188 MB
 * float32 dataset, what training did before datasets kept their bytes.
 *
 * ```sh
 * deno bench --allow-read=$(deno run tasks/mnist_dir.ts) --allow-sys=loadavg tests/gather_scale_bench.ts
 * ```
 *
 * @module
 */
import { gather } from "../src/data/dataset.ts";
import { gatherScale } from "../src/data/gather_scale.ts";
import { batchOrder } from "../src/data/dataset.ts";
import { readIdx } from "../src/data/idx.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";
import { gatherReference } from "./_gather_reference.ts";
import { printLoad } from "./_bench_context.ts";

const file = await Deno.readFile(`${packagedMnistDir()}/train-images-idx3-ubyte`);
const bytes = readIdx(file, { scale: "none" }).data as Uint8Array;
const floats = readIdx(file, { scale: "unit" }).data as Float32Array;
const size = 784, count = bytes.length / size, batch = 256;
const order = batchOrder(count, { seed: 0, epoch: 0 });
const batches = Array.from(
  { length: Math.ceil(count / batch) },
  (_, b) => order.subarray(b * batch, (b + 1) * batch),
);
const floatData = { images: floats, labels: new Uint8Array(count), count, height: 28, width: 28 };

const group = `an epoch of ${batch}-sample batches of MNIST train -> float32`;
const options = { group, n: 10, warmup: 2 };

Deno.bench("AS gather_scale kernel (47 MB uint8 dataset)", { ...options, baseline: true }, () => {
  for (const idx of batches) gatherScale(bytes, idx, { size });
});
Deno.bench("TS reference: b / 255 per byte (47 MB uint8 dataset)", options, () => {
  for (const idx of batches) gatherReference(bytes, idx, { size });
});
Deno.bench("float32 row copies (188 MB float32 dataset)", options, () => {
  for (const idx of batches) gather({ ...floatData, channels: 1 }, idx);
});

printLoad();
