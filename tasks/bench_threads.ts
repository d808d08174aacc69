/**
 * `deno task bench:threads`: kernel threads against one thread, side by side
 * in one process on the wasm backend's shared memory. Rounds alternate 1
 * and N threads: the dense AE's and the VAE's largest products alone, then
 * whole training steps (gradients and Adam) of the dense AE (256 rows), the
 * VAE (64 rows) and the conv AE (128 images); it prints the best and median
 * ms of each and their ratio. `--profile` adds where each step's time goes
 * on 1 and N threads: its kernels' ms, summed by kernel and shapes over 20
 * steps (tfjs's profiler), and the step's time outside them.
 *
 * ```sh
 * deno task bench:threads              # N = the hardware threads
 * deno task bench:threads --threads 3 --rounds 9
 * deno task bench:threads --profile
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { type KernelThreads, startKernelThreads } from "../src/backend/kernel_threads.ts";
import { MODELS } from "../src/models/registry.ts";
import { profiledKernels } from "../src/backend/watch.ts";
import { createTrainStep } from "../src/train/step.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    threads: { type: "string" },
    rounds: { type: "string", default: "5" },
    profile: { type: "boolean", default: false },
  },
});
const threads = Number(values.threads ?? navigator.hardwareConcurrency ?? 2);
const rounds = Number(values.rounds);
if (!(threads >= 2) || !(rounds >= 1)) {
  console.error("error: --threads takes 2 or more, --rounds 1 or more");
  Deno.exit(2);
}
await initBackend({ backend: "wasm", sharedMemory: true });
const [load] = Deno.loadavg();

/** ms per call of `f` over `calls` calls, after 5 unmeasured. */
function time(f: () => void, calls: number): number {
  for (let i = 0; i < 5; i++) f();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) f();
  return (performance.now() - t0) / calls;
}

const cases: { name: string; run: () => void; calls: number; step?: boolean }[] = [];
for (
  const [name, m, k, n, ta] of [
    ["product 256x784 . 784x128 (dense AE forward)", 256, 784, 128, false],
    ["product 64x784 . 784x256 (VAE forward)", 64, 784, 256, false],
    ["product (784x64)^T . 64x256 (VAE weight gradient)", 784, 64, 256, true],
  ] as const
) {
  const a = tf.randomUniform(ta ? [k, m] : [m, k], -1, 1, "float32", 0);
  const b = tf.randomUniform([k, n], -1, 1, "float32", 1);
  cases.push({ name, run: () => tf.matMul(a, b, ta).dispose(), calls: 50 });
}
const STEPS = [["dense", 256, "mse"], ["vae", 64, "bce"], ["conv", 128, "bce"]] as const;
for (const [name, rows, loss] of STEPS) {
  const ae = MODELS[name].build({ latentDim: MODELS[name].defaults.latentDim, seed: 0 });
  const step = createTrainStep(ae, { loss, lr: 1e-3 });
  const x = tf.randomUniform([rows, ...ae.inputShape], 0.01, 0.99, "float32", 2);
  let seed = 1;
  cases.push({
    name: `${name} training step, ${rows} rows`,
    run: () => step.run(x, { seed: seed++ }).dispose(),
    calls: name === "conv" ? 10 : 40,
    step: true,
  });
}

const ms = cases.map(() => ({ one: [] as number[], many: [] as number[] }));
let pool: KernelThreads | undefined;
for (let r = 0; r < rounds; r++) {
  for (const many of [false, true]) {
    if (many) pool = await startKernelThreads({ count: threads });
    cases.forEach((c, i) => ms[i][many ? "many" : "one"].push(time(c.run, c.calls)));
    pool?.stop();
    pool = undefined;
  }
}
const best = (v: number[]) => Math.min(...v);
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
console.log(
  `kernel threads: 1 against ${threads}, ${rounds} alternating rounds; load average ${load}`,
);
console.log(
  `| case | 1 thread best / median ms | ${threads} threads best / median ms | speed-up (best) |`,
);
console.log("|---|---:|---:|---:|");
cases.forEach((c, i) => {
  const { one, many } = ms[i];
  console.log(
    `| ${c.name} | ${best(one).toFixed(3)} / ${median(one).toFixed(3)} | ` +
      `${best(many).toFixed(3)} / ${median(many).toFixed(3)} | ${
        (best(one) / best(many)).toFixed(2)
      }x |`,
  );
});

/** ms per step in each kernel (by name and input shapes) over `steps` profiled steps, and in all. */
async function profile(run: () => void, steps: number) {
  const byKernel = new Map<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(run);
    for (const k of profiledKernels(info)) {
      const key = `${k.name} ${k.inputShapes.map((s: number[]) => s?.join("x")).join(", ")}`;
      byKernel.set(key, (byKernel.get(key) ?? 0) + ((k.kernelTimeMs as number) || 0) / steps);
    }
  }
  return { byKernel, total: (performance.now() - t0) / steps };
}

if (values.profile) {
  for (const c of cases.filter((c) => c.step)) {
    for (const count of [1, threads]) {
      pool = count > 1 ? await startKernelThreads({ count }) : undefined;
      const { byKernel, total } = await profile(c.run, 20);
      pool?.stop();
      const rows = [...byKernel].sort((a, b) => b[1] - a[1]);
      const inKernels = rows.reduce((s, [, ms]) => s + ms, 0);
      console.log(
        `\n${c.name}, ${count} thread(s), profiled: ${total.toFixed(2)} ms a step, ` +
          `${inKernels.toFixed(2)} in kernels`,
      );
      for (const [name, ms] of rows.slice(0, 12)) {
        console.log(`  ${ms.toFixed(3).padStart(7)} ms  ${name}`);
      }
    }
  }
}
