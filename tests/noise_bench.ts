/**
 * y = clip(x + 0.3 N(0, 1), 0, 1) over MNIST-sized data (60000 x 784 floats): the
 * `noise` kernel (a copy, and in place) against a plain TS Box-Muller loop and
 * `tf.randomNormal` on the tfjs wasm backend. With `--allow-run=/usr/bin/python3`,
 * numpy and torch are timed too (when installed).
 *
 * ```sh
 * deno bench --allow-run=/usr/bin/python3 --allow-sys=loadavg tests/noise_bench.ts
 * ```
 *
 * @module
 */
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { addNoise } from "../src/noise.ts";
import { Rng } from "../src/random.ts";
import { printLoad, pythonReference } from "./_bench_context.ts";

const SHAPE: [number, number] = [60000, 784];
const rng = new Rng(0);
const x = Float32Array.from({ length: SHAPE[0] * SHAPE[1] }, () => rng.uniform());
const scratch = x.slice();

/** The straightforward TS version: Box-Muller pairs from a seeded uniform generator. */
function tsGaussian(input: Float32Array, sigma: number, seed: number): Float32Array {
  const out = new Float32Array(input.length);
  const u = new Rng(seed);
  for (let i = 0; i < input.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u.uniform()));
    const t = 2 * Math.PI * u.uniform();
    out[i] = Math.min(1, Math.max(0, input[i] + sigma * r * Math.cos(t)));
    if (i + 1 < input.length) {
      out[i + 1] = Math.min(1, Math.max(0, input[i + 1] + sigma * r * Math.sin(t)));
    }
  }
  return out;
}

await initBackend({ backend: "wasm" });
const xt = tf.tensor2d(x, SHAPE);

const group = "clip(x + 0.3 N(0,1), 0, 1) over 60000x784";
const options = { group, n: 5, warmup: 1 };
let epoch = 0;

Deno.bench("AS noise kernel (returns a copy)", { ...options, baseline: true }, () => {
  addNoise(x, { kind: "gaussian", level: 0.3, seed: epoch++ });
});
Deno.bench("AS noise kernel (in place)", options, () => {
  addNoise(scratch, { kind: "gaussian", level: 0.3, seed: epoch++, inPlace: true });
});
Deno.bench("TS Box-Muller loop", options, () => {
  tsGaussian(x, 0.3, epoch++);
});
Deno.bench(`tf.randomNormal + add + clipByValue (${tf.getBackend()})`, options, () => {
  const y = tf.tidy(() =>
    tf.clipByValue(tf.add(xt, tf.randomNormal(SHAPE, 0, 0.3, "float32", epoch++)), 0, 1)
  );
  y.dataSync();
  y.dispose();
});

printLoad();
await pythonReference("noise.py");
