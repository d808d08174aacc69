/**
 * The MNIST dataset's resident memory: the process's RSS before and after
 * `loadMnist()` (all 60,000 + 10,000 images), and what the images hold.
 *
 * ```sh
 * deno run --allow-read=$(deno run tasks/mnist_dir.ts) tasks/mnist_memory.ts
 * ```
 *
 * @module
 */
import { loadMnist } from "../src/data/mnist.ts";

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const before = Deno.memoryUsage().rss;
const { train, test } = await loadMnist();
const after = Deno.memoryUsage().rss;
for (const [name, data] of [["train", train], ["test", test]] as const) {
  console.log(
    `${name} images: ${data.images.constructor.name} of ${
      data.images.byteLength.toLocaleString("en")
    } bytes`,
  );
}
console.log(
  `RSS before loadMnist: ${mib(before)}, after: ${mib(after)}, grew ${mib(after - before)}`,
);
