/**
 * Training speed on the WASM-SIMD backend next to PyTorch CPU, in one run:
 * ms per step of the training loop's own step ({@linkcode createTrainStep})
 * for the conv AE (seed 000, batch 128), the dense AE (001, batch 256) and
 * the VAE (002, batch 64), and, where `/usr/bin/python3` has torch, the same
 * models in PyTorch with 1 and 2 threads (tasks/reference/train_torch.py).
 *
 * ```sh
 * deno task bench:train                 # table; PyTorch when available
 * deno task bench:train --profile       # plus each model's kernel profile of one step
 * deno task bench:train --steps 50 --models dense,vae --no-torch
 * deno task bench:train --rounds 3      # best of 3 interleaved rounds, for a busy machine
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { getModel } from "../src/models/registry.ts";
import { createTrainStep } from "../src/train/step.ts";

const PYTHON = "/usr/bin/python3";
const REFERENCE = new URL("./reference/train_torch.py", import.meta.url).pathname;

/** One model's timing on wasm. */
export interface WasmTiming {
  model: string;
  batchSize: number;
  /** Median wall-clock ms of one step. */
  msPerStep: number;
  /** Kernel name -> [ms, calls] of one profiled step, when asked for. */
  profile?: Map<string, [number, number]>;
}

/** Median ms per step of `model`'s training step on its default batch size, after `warmup` steps. */
export async function timeWasmStep(
  model: string,
  options: { steps: number; warmup: number; profile: boolean },
): Promise<WasmTiming> {
  const spec = getModel(model);
  const { batchSize, lr, loss, optimizer, weightDecay, latentDim, scale } = spec.defaults;
  const ae = spec.build({ latentDim, seed: 0 });
  const step = createTrainStep(ae, { loss, lr, optimizer, weightDecay });
  const [lo, hi] = scale === "symmetric" ? [-1, 1] : [0, 1];
  const batch = tf.randomUniform([batchSize, ...ae.inputShape], lo, hi, "float32", 0);
  // Warm-up also lets V8 tier the kernels up from its baseline compiler.
  for (let i = 0; i < options.warmup; i++) await step.run(batch, { seed: i });
  const times: number[] = [];
  for (let i = 0; i < options.steps; i++) {
    const t0 = performance.now();
    await step.run(batch, { seed: i });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const timing: WasmTiming = { model, batchSize, msPerStep: times[times.length >> 1] };
  if (options.profile) {
    const info = await tf.profile(async () => void await step.run(batch));
    const profile = new Map<string, [number, number]>();
    for (const k of info.kernels) {
      const [ms, calls] = profile.get(k.name) ?? [0, 0];
      profile.set(k.name, [ms + (k.kernelTimeMs as number), calls + 1]);
    }
    timing.profile = profile;
  }
  batch.dispose();
  step.optimizer.dispose();
  ae.network.dispose();
  return timing;
}

/** PyTorch's ms per step by model and thread count, or why there are none. */
export type TorchTimings = { version: string; ms: Map<string, Map<number, number>> } | {
  error: string;
};

/** Runs the PyTorch reference script; never throws for a missing python or torch. */
export async function timeTorch(models: string[], steps: number): Promise<TorchTimings> {
  let output: Deno.CommandOutput;
  try {
    output = await new Deno.Command(PYTHON, {
      args: [REFERENCE, "--models", models.join(","), "--threads", "1,2", "--steps", `${steps}`],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } catch (e) {
    return { error: `${PYTHON} unavailable (${(e as Error).message})` };
  }
  const text = new TextDecoder().decode(output.stdout).trim();
  if (!output.success) {
    return { error: `${REFERENCE} failed: ${new TextDecoder().decode(output.stderr).trim()}` };
  }
  const parsed = JSON.parse(text.split("\n").at(-1) ?? "{}");
  if (parsed.error) return { error: parsed.error };
  const ms = new Map<string, Map<number, number>>();
  for (const r of parsed.results as { model: string; threads: number; ms_per_step: number }[]) {
    if (!ms.has(r.model)) ms.set(r.model, new Map());
    ms.get(r.model)!.set(r.threads, r.ms_per_step);
  }
  return { version: parsed.torch, ms };
}

function loadLine(): string {
  try {
    return `load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
  } catch {
    return "load average unknown (run with --allow-sys=loadavg)";
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      models: { type: "string", default: "conv,dense,vae" },
      steps: { type: "string", default: "20" },
      warmup: { type: "string", default: "5" },
      rounds: { type: "string", default: "1" },
      profile: { type: "boolean", default: false },
      "no-torch": { type: "boolean", default: false },
    },
  });
  const models = values.models.split(",");
  const steps = Number(values.steps), warmup = Number(values.warmup);
  const rounds = Number(values.rounds);
  if (!(steps > 0) || !(warmup >= 0) || !(rounds >= 1)) {
    throw new Error("--steps and --rounds must be > 0 and --warmup >= 0");
  }
  const startLoad = loadLine();
  await initBackend({ backend: "wasm" });
  // Model by model, wasm then PyTorch, so that each pair sees the same load;
  // with several rounds, each figure is its best round.
  const wasm = new Map<string, WasmTiming>();
  let torch: TorchTimings = values["no-torch"]
    ? { error: "skipped (--no-torch)" }
    : { version: "", ms: new Map() };
  for (let round = 0; round < rounds; round++) {
    for (const m of models) {
      const t = await timeWasmStep(m, { steps, warmup, profile: values.profile && round === 0 });
      const best = wasm.get(m);
      if (!best || t.msPerStep < best.msPerStep) {
        wasm.set(m, { ...t, profile: best?.profile ?? t.profile });
      }
      if ("error" in torch) continue;
      const r = await timeTorch([m], steps);
      if ("error" in r) {
        torch = r;
        continue;
      }
      const seen = torch.ms.get(m) ?? new Map<number, number>();
      for (const [threads, ms] of r.ms.get(m)!) {
        seen.set(threads, Math.min(ms, seen.get(threads) ?? Infinity));
      }
      torch = { version: r.version, ms: new Map([...torch.ms, [m, seen]]) };
    }
  }
  const f = (x: number | undefined) => x === undefined ? "-" : x.toFixed(1);
  console.log(`wasm: tfjs-backend-wasm (SIMD, 1 thread) + diabolo kernels; ${startLoad}`);
  console.log(
    `median ms of ${steps} steps after ${warmup} warm-up steps, best of ${rounds} round(s)`,
  );
  console.log(
    "error" in torch ? `PyTorch: none (${torch.error})` : `PyTorch ${torch.version}, CPU`,
  );
  console.log("");
  console.log(
    "| model | batch | wasm ms/step | PyTorch 1 thread | PyTorch 2 threads | wasm / PyTorch best |",
  );
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const t of wasm.values()) {
    const byThreads = "error" in torch ? undefined : torch.ms.get(t.model);
    const one = byThreads?.get(1), two = byThreads?.get(2);
    const best = Math.min(one ?? Infinity, two ?? Infinity);
    const ratio = Number.isFinite(best) ? `${(t.msPerStep / best).toFixed(2)}x` : "-";
    console.log(
      `| ${t.model} | ${t.batchSize} | ${f(t.msPerStep)} | ${f(one)} | ${f(two)} | ${ratio} |`,
    );
  }
  console.log(`\n${loadLine()} (end)`);
  for (const t of [...wasm.values()].filter((t) => t.profile)) {
    // Op-level scopes (`...__op`, `unnamed scope`) wrap kernels already listed.
    const rows = [...t.profile!].filter(([name]) => !/__op$|^unnamed scope$/.test(name))
      .sort((a, b) => b[1][0] - a[1][0]);
    const total = rows.reduce((s, [, [ms]]) => s + ms, 0);
    console.log(`\nkernel profile, one ${t.model} step (${total.toFixed(1)} ms in kernels):`);
    for (const [name, [ms, calls]] of rows.slice(0, 12)) {
      console.log(`  ${name.padEnd(22)} ${ms.toFixed(2).padStart(8)} ms  ${calls} calls`);
    }
  }
}
