/**
 * `deno task bench:images [FOLDER]`: the time to load an image folder (read,
 * decode and pack every PNG / JPEG) into a dataset, with the load average.
 * The folder defaults to `data/mnist_png/train`, MNIST's 60,000 training
 * images as PNG files, which `tasks/reference/mnist_pngs.py` writes.
 *
 * ```sh
 * .tmp/py/bin/python tasks/reference/mnist_pngs.py "$(deno run tasks/mnist_dir.ts)" data/mnist_png
 * deno task bench:images                       # data/mnist_png/train
 * ```
 *
 * @module
 */
import { runTask } from "../src/cli/main.ts";
import { loadImageFolder } from "../src/data/image_folder.ts";

await runTask(async () => {
  const folder = Deno.args[0] ?? "data/mnist_png/train";
  const start = performance.now();
  // The whole folder as the training split: testSplit only says how it would be split.
  const { train, test, description } = await loadImageFolder(folder, { testSplit: 0.2 });
  const seconds = (performance.now() - start) / 1000;
  const load = Deno.loadavg().map((v) => v.toFixed(2)).join(" ");
  console.log(description);
  console.log(
    `${train.count + test.count} images loaded in ${seconds.toFixed(2)} s ` +
      `(${((train.count + test.count) / seconds).toFixed(0)} images/s); load average ${load}`,
  );
});
