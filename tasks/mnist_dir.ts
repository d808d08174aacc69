/**
 * Prints the folder of the packaged MNIST files, for the `--allow-read` flag
 * of the tasks that read them (`deno.json` calls it as `$(deno run tasks/mnist_dir.ts)`).
 *
 * ```sh
 * deno run tasks/mnist_dir.ts
 * ```
 *
 * @module
 */
import { packagedMnistDir } from "../src/data/mnist.ts";

console.log(packagedMnistDir());
