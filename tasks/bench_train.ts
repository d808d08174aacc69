/**
 * Training speed on the WASM-SIMD backend (and WebGPU or cpu next to it)
 * and PyTorch CPU, in one run: ms per step of the training loop's own step
 * ({@linkcode createTrainStep}) for the conv AE (seed 000, batch 128), the
 * dense AE (001, batch 256) and the VAE (002, batch 64), with the reads back
 * to JavaScript and the kernels (GPU programs on WebGPU) each step costs,
 * and the same models in the newest PyTorch found (`--python PATH`, else the
 * newer torch of the project's venv `.tmp/py/bin/python` and
 * `/usr/bin/python3`) at 1 thread and at all cores (`torch.set_num_threads`,
 * tasks/reference/train_torch.py), with diabolo's time over each. Both
 * sides train on MNIST's first training images (`--data uniform`: random
 * pixels, as before session 13, which runs our products slower: they skip
 * the steps where MNIST's zero pixels meet zeros in four rows of A).
 *
 * ```sh
 * deno task bench:train                 # table; PyTorch when available
 * deno task bench:train --profile       # plus each model's kernel profile of one step
 * deno task bench:train --steps 50 --models dense,vae --no-torch
 * deno task bench:train --rounds 3      # best of 3 interleaved rounds, for a busy machine
 * deno task bench:train --python /usr/bin/python3  # that Python's PyTorch (its path in --allow-run)
 * deno task bench:train --backend webgpu --models conv --no-torch  # WebGPU next to wasm
 * deno task bench:train --backend webgpu --stock  # plus the path before: stock tfjs, a read a step
 * deno task bench:train --workers 1,2 --no-torch  # plus the wasm fit loop on 1 and 2 threads
 * deno task bench:train --data uniform  # on uniform random pixels instead of MNIST
 * ```
 *
 * `--workers` times the whole training loop (`fit`: batches gathered from
 * the training images, the step, and with several replicas the gradient
 * exchange) on one epoch of `steps` steps after one of warm-up, for each
 * count, shared both ways (`--parallel replicas` and `kernels`), and prints
 * where each replica's time went.
 *
 * PyTorch runs with glibc's malloc told to keep freed memory
 * ({@linkcode TORCH_MALLOC}), as PyTorch's CPU tuning guides advise
 * (jemalloc or tcmalloc there): with the defaults, its conv AE's step
 * page-faulted its activations back in every step and took, from run to run
 * on one AMD EPYC, 25-62 ms on one thread and 15-64 on two, against 24-26 and
 * 15-18 with memory kept (session 16).
 *
 * It names the instruction set of PyTorch's CPU kernels (AVX512 or AVX2:
 * WebAssembly's SIMD is 128 bits wide) and, model by model, the share of the
 * CPU time the hypervisor took during diabolo's timings and during PyTorch's
 * (`src/cli/cpu_steal.ts`): on a shared VM the two sides of a ratio can run
 * on different shares of the machine.
 *
 * @module
 */
import { runTask } from "../src/cli/main.ts";
import { parseBenchTrainArgs } from "../src/cli/bench_args.ts";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { useStockWebGpuKernels } from "../src/backend/webgpu.ts";
import { type BackendCounts, profiledKernels, watchBackend } from "../src/backend/watch.ts";
import { LossMeter } from "../src/train/loss_meter.ts";
import { getModel } from "../src/models/registry.ts";
import { createTrainStep } from "../src/train/step.ts";
import { resolveConfig } from "../src/train/config.ts";
import { fit } from "../src/train/fit.ts";
import { chooseWorkers, type ParallelMode, Replicas, shareDataset } from "../src/train/parallel.ts";
import { startKernelThreads } from "../src/backend/kernel_threads.ts";

/** How `--workers` counts above 1 are timed: both ways of sharing a step. */
const MODES: ParallelMode[] = ["replicas", "kernels"];
import { Rng } from "../src/random.ts";
import { loadMnist, MNIST_FILES, packagedMnistDir } from "../src/data/mnist.ts";
import type { Dataset } from "../src/data/dataset.ts";
import { gatherScale } from "../src/data/gather_scale.ts";
import { findPython, type FoundPython } from "../src/cli/python.ts";
import { metered, stealShare } from "../src/cli/cpu_steal.ts";

/** The Pythons tried without `--python` (deno.json's `--allow-run` names exactly these). */
export const PYTHONS = [".tmp/py/bin/python", "/usr/bin/python3"];
const REFERENCE = new URL("./reference/train_torch.py", import.meta.url).pathname;

/** What the models train on in the bench: MNIST's training images or uniform random pixels. */
export type BenchData = "mnist" | "uniform";

/**
 * `count` training images (at most 60,000) for `model`, in its pixel range:
 * MNIST's first ones, or uniform random bytes (seed 0). The two differ in
 * speed as well as in values: MNIST's pixels are 81 % zeros, which the
 * matrix product skips where four rows of A are all zero (asm/_gemm.ts).
 */
export async function benchImages(model: string, count: number, data: BenchData): Promise<Dataset> {
  const pixelScale = getModel(model).defaults.scale === "symmetric" ? "symmetric" : "unit";
  const n = Math.min(count, 60_000);
  const size = 28 * 28;
  if (data === "mnist") {
    // Read once per run: every model and round takes its images from the same bytes.
    const { train } = await (mnist ??= loadMnist());
    const images = (train.images as Uint8Array).slice(0, n * size);
    return { ...train, images, labels: train.labels.slice(0, n), count: n, pixelScale };
  }
  const rng = new Rng(0);
  const images = Uint8Array.from({ length: n * size }, () => Math.floor(rng.uniform() * 256));
  const labels = new Uint8Array(n);
  return { images, labels, count: n, height: 28, width: 28, channels: 1, pixelScale };
}

let mnist: ReturnType<typeof loadMnist> | undefined;

/** One model's timing on one backend. */
export interface StepTiming {
  model: string;
  backend: string;
  /** diabolo's training workers (1: the main thread alone). */
  workers: number;
  batchSize: number;
  /** Wall-clock ms per step over a block of steps run as the training loop runs them. */
  msPerStep: number;
  /** Reads in the block (`steps` steps, with progress reads): all but the last asynchronous. */
  reads: BackendCounts;
  /** Kernels of one profiled step (tfjs's profiler), and GPU programs among them. */
  kernelsPerStep: number;
  programsPerStep: number;
  /** Kernel name -> [ms, calls] of one profiled step, when asked for. */
  profile?: Map<string, [number, number]>;
}

/**
 * ms per step of `model`'s training step on the active backend, on its
 * default batch size (one batch of {@linkcode benchImages}): `warmup` steps, then `steps` steps fed to a
 * {@linkcode LossMeter} that reads for a progress bar every 10 steps, timed
 * to the epoch-end read of their mean loss, the way the training loop runs.
 */
export async function timeStep(
  model: string,
  options: {
    steps: number;
    warmup: number;
    profile: boolean;
    readEveryStep?: boolean;
    data: BenchData;
  },
): Promise<StepTiming> {
  const spec = getModel(model);
  const { batchSize, lr, loss, optimizer, weightDecay, latentDim } = spec.defaults;
  const ae = spec.build({ latentDim, seed: 0 });
  const step = createTrainStep(ae, { loss, lr, optimizer, weightDecay });
  const images = await benchImages(model, batchSize, options.data);
  const values = gatherScale(images.images as Uint8Array, [...Array(batchSize).keys()], {
    size: images.height * images.width,
    scale: images.pixelScale ?? "unit",
  });
  const batch = tf.tensor(values, [batchSize, ...ae.inputShape]);
  // Warm-up compiles shaders (WebGPU) and lets V8 tier the kernels up.
  const run = async (label: string, steps: number, first: number) => {
    const meter = new LossMeter({ label, readEvery: 10 });
    for (let i = 0; i < steps; i++) {
      const loss = step.run(batch, { seed: first + i });
      // The loop before LossMeter: every step waited for its loss.
      if (options.readEveryStep) await loss.data();
      await meter.add(loss, 1);
    }
    return await meter.mean();
  };
  await run("warm-up", options.warmup, 0);
  const watch = watchBackend();
  const t0 = performance.now();
  await run("timed steps", options.steps, options.warmup);
  const msPerStep = (performance.now() - t0) / options.steps;
  const reads = watch.stop();
  const counting = watchBackend();
  const info = await tf.profile(() => step.run(batch).dispose());
  const { programs } = counting.stop();
  const kernels = profiledKernels(info);
  const timing: StepTiming = {
    model,
    backend: tf.getBackend(),
    workers: 1,
    batchSize,
    msPerStep,
    reads,
    kernelsPerStep: kernels.length,
    programsPerStep: programs,
  };
  if (options.profile) {
    const profile = new Map<string, [number, number]>();
    for (const k of kernels) {
      const [ms, calls] = profile.get(k.name) ?? [0, 0];
      profile.set(k.name, [ms + ((k.kernelTimeMs as number) || 0), calls + 1]);
    }
    timing.profile = profile;
  }
  batch.dispose();
  step.optimizer.dispose();
  ae.parameters.dispose();
  return timing;
}

/**
 * The fit loop's ms per step on `workers` threads shared as `mode` says,
 * and where each replica's time went.
 */
export async function timeFitLoop(
  model: string,
  options: { steps: number; workers: number; mode: ParallelMode; data: BenchData },
): Promise<{ msPerStep: number; profile?: string }> {
  const { workers: threadCount, mode } = options;
  const config = resolveConfig({ model, seed: 0, epochs: 2, workers: threadCount, parallel: mode });
  const kernelThreads = threadCount > 1 && mode === "kernels";
  await initBackend({ backend: "wasm", sharedMemory: kernelThreads });
  const autoencoder = getModel(model).build(config);
  const step = createTrainStep(autoencoder, config);
  const train = shareDataset(
    await benchImages(model, config.batchSize * options.steps, options.data),
  );
  const steps = Math.ceil(train.count / config.batchSize);
  const test = { ...train, count: 1 };
  const workers = chooseWorkers(threadCount, {
    backend: "wasm",
    batchSize: 0,
    steps: 0,
    parallel: mode,
  });
  const replicas = threadCount > 1 && mode === "replicas"
    ? await Replicas.start({ count: threadCount, config, train, autoencoder, step })
    : undefined;
  const threads = kernelThreads ? await startKernelThreads({ count: threadCount }) : undefined;
  try {
    const { metrics } = await fit({
      autoencoder,
      step,
      train,
      test,
      settings: config,
      backend: { name: "wasm", reason: "bench" },
      replicas,
      workers,
    });
    const timed = metrics[1];
    return {
      msPerStep: (timed.epoch_s * 1000) / steps,
      profile: timed.workers_profile as string | undefined,
    };
  } finally {
    replicas?.stop();
    threads?.stop();
    step.optimizer.dispose();
    autoencoder.parameters.dispose();
  }
}

/** The dense AE's largest product, M x K by K x N: its first layer's forward pass. */
export const PRODUCT = [256, 784, 128];

/**
 * GFLOP/s of diabolo's wasm product of an M x K and a K x N matrix on
 * `threads` kernel threads (1: the main thread alone), best of 5 blocks of
 * 100 calls: the rate that bounds the dense AE's step.
 */
export async function timeProduct([m, k, n]: number[], threads: number): Promise<number> {
  await initBackend({ backend: "wasm", sharedMemory: threads > 1 });
  const pool = threads > 1 ? await startKernelThreads({ count: threads }) : undefined;
  const a = tf.randomUniform([m, k], 0, 1, "float32", 0);
  const b = tf.randomUniform([k, n], 0, 1, "float32", 1);
  try {
    for (let i = 0; i < 10; i++) tf.matMul(a, b).dispose();
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const t0 = performance.now();
      for (let i = 0; i < 100; i++) tf.matMul(a, b).dispose();
      best = Math.min(best, (performance.now() - t0) / 100);
    }
    return (2 * m * k * n) / best / 1e6;
  } finally {
    tf.dispose([a, b]);
    pool?.stop();
  }
}

/**
 * PyTorch's ms per step by model and thread count, and GFLOP/s of the
 * product asked for by thread count, or why there are none.
 */
export type TorchTimings = {
  version: string;
  /** The instruction set of its CPU kernels (`torch.backends.cpu.get_cpu_capability()`, 2.0 on). */
  capability?: string;
  ms: Map<string, Map<number, number>>;
  products: Map<number, number>;
} | {
  error: string;
};

/**
 * The environment PyTorch runs in: glibc's malloc serves every size from its
 * heap and never gives memory back, so a step's tensors reuse the pages of
 * the step before instead of faulting fresh ones in (`train_torch.py --models
 * conv --threads 1,2 --steps 100`: 423,000-523,000 minor page faults with
 * glibc's defaults, 71,000-74,000 with these, `/usr/bin/time -f %R`).
 */
export const TORCH_MALLOC = {
  GLIBC_TUNABLES: "glibc.malloc.mmap_threshold=2000000000:glibc.malloc.trim_threshold=4000000000",
};

/**
 * Runs the PyTorch reference script with `python` at each of `threads`
 * thread counts, on `models` and on one `product` (M, K, N) when given.
 */
export async function timeTorch(
  python: FoundPython,
  models: string[],
  options: { steps: number; threads: number[]; product?: number[]; data: BenchData },
): Promise<TorchTimings> {
  const output = await new Deno.Command(python.python, {
    args: [
      REFERENCE,
      ...(options.data === "mnist"
        ? ["--images", `${packagedMnistDir()}/${MNIST_FILES.trainImages}`]
        : []),
      "--models",
      models.join(","),
      "--threads",
      options.threads.join(","),
      "--steps",
      `${options.steps}`,
      ...(options.product ? ["--product", options.product.join(",")] : []),
    ],
    env: TORCH_MALLOC,
    stdout: "piped",
    stderr: "piped",
  }).output();
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
  const products = new Map<number, number>();
  for (const r of (parsed.products ?? []) as { threads: number; gflops: number }[]) {
    products.set(r.threads, r.gflops);
  }
  return { version: parsed.torch, capability: parsed.capability ?? undefined, ms, products };
}

function loadLine(): string {
  try {
    return `load average ${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")}`;
  } catch {
    return "load average unknown (run with --allow-sys=loadavg)";
  }
}

async function main(): Promise<void> {
  const { backend: request, models, steps, warmup, rounds, ...flags } = parseBenchTrainArgs(
    Deno.args,
  );
  // Any other backend runs next to wasm, model by model, so each sees the same load. --stock adds
  // the path as it was before: a loss read after every step and, on WebGPU, tfjs's stock kernels.
  const variants: { label: string; backend: typeof request; stock?: boolean }[] = [
    ...(request === "wasm" ? [] : [{ label: request, backend: request }]),
    ...(flags.stock && request === "webgpu"
      ? [{ label: "webgpu, stock, read/step", backend: request, stock: true }]
      : []),
    { label: "wasm", backend: "wasm" },
    ...(flags.stock ? [{ label: "wasm, read/step", backend: "wasm" as const, stock: true }] : []),
  ];
  const startLoad = loadLine();
  // PyTorch at one thread and at every core the machine has.
  const cores = navigator.hardwareConcurrency || 1;
  const threads = cores > 1 ? [1, cores] : [1];
  const python = flags.noTorch
    ? undefined
    : await findPython({ given: flags.python, candidates: PYTHONS, module: "torch" });
  let adapter = "";
  for (const v of variants) adapter ||= (await initBackend({ backend: v.backend })).adapter ?? "";
  // Model by model, each backend then PyTorch, so that they see the same load;
  // with several rounds, each figure is its best round.
  const timings = new Map<string, StepTiming>();
  const loops: {
    model: string;
    workers: number;
    mode: ParallelMode;
    msPerStep: number;
    profile?: string;
  }[] = [];
  let torch: TorchTimings = flags.noTorch
    ? { error: "skipped (--no-torch)" }
    : python
    ? { version: python.version, ms: new Map(), products: new Map() }
    : {
      error: `no torch in ${flags.python ?? PYTHONS.join(" or ")} (python3 -m venv .tmp/py && ` +
        ".tmp/py/bin/pip install torch scikit-learn numpy pillow)",
    };
  // By model, the CPU time that passed during diabolo's timings and during PyTorch's (for the
  // hypervisor's steal, which can differ between the two within one run).
  const cpuTime = new Map(
    models.map((m) => [m, { diabolo: { missing: 0, total: 0 }, torch: { missing: 0, total: 0 } }]),
  );
  // GFLOP/s of the dense AE's largest product by thread count, best round.
  const ours = new Map<number, number>();
  for (let round = 0; round < rounds; round++) {
    for (const m of models) {
      for (const v of variants) {
        await initBackend({ backend: v.backend });
        if (v.backend === "webgpu") useStockWebGpuKernels(v.stock === true);
        const t = {
          ...await metered(cpuTime.get(m)!.diabolo, () =>
            timeStep(m, {
              steps,
              warmup,
              profile: flags.profile && round === 0,
              readEveryStep: v.stock,
              data: flags.data,
            })),
          backend: v.label,
        };
        const key = `${m} ${v.label}`;
        const best = timings.get(key);
        if (!best || t.msPerStep < best.msPerStep) {
          timings.set(key, { ...t, profile: best?.profile ?? t.profile });
        }
      }
      for (const workers of flags.workers) {
        for (const mode of workers > 1 ? MODES : MODES.slice(0, 1)) {
          const t = {
            model: m,
            workers,
            mode,
            ...await metered(
              cpuTime.get(m)!.diabolo,
              () => timeFitLoop(m, { steps, workers, mode, data: flags.data }),
            ),
          };
          const i = loops.findIndex((l) =>
            l.model === m && l.workers === workers && l.mode === mode
          );
          if (i < 0) loops.push(t);
          else if (t.msPerStep < loops[i].msPerStep) loops[i] = t;
        }
      }
      // With the dense AE, the product that bounds its step: ours, then PyTorch's in the same
      // run of the reference script as its steps.
      const product = m === "dense" ? PRODUCT : undefined;
      if (product) {
        for (const count of threads) {
          const rate = await metered(cpuTime.get(m)!.diabolo, () => timeProduct(product, count));
          ours.set(count, Math.max(rate, ours.get(count) ?? 0));
        }
      }
      if ("error" in torch || !python) continue;
      const r = await metered(
        cpuTime.get(m)!.torch,
        () => timeTorch(python, [m], { steps, threads, product, data: flags.data }),
      );
      if ("error" in r) {
        torch = r;
        continue;
      }
      const seen = torch.ms.get(m) ?? new Map<number, number>();
      for (const [count, ms] of r.ms.get(m)!) {
        seen.set(count, Math.min(ms, seen.get(count) ?? Infinity));
      }
      for (const [count, rate] of r.products) {
        torch.products.set(count, Math.max(rate, torch.products.get(count) ?? 0));
      }
      torch = {
        ...torch,
        version: r.version,
        capability: r.capability,
        ms: new Map([...torch.ms, [m, seen]]),
      };
    }
  }
  const f = (x: number | undefined) => x === undefined ? "-" : x.toFixed(1);
  console.log(`wasm: tfjs-backend-wasm (SIMD, 1 thread) + diabolo kernels; ${startLoad}`);
  if (adapter) console.log(`webgpu: tfjs-backend-webgpu on "${adapter}"`);
  console.log(
    `ms per step over ${steps} steps after ${warmup} warm-up steps, to the final loss read, ` +
      `best of ${rounds} round(s); data: ${
        flags.data === "mnist"
          ? "MNIST's first training images, in each model's pixel range, on both sides"
          : "uniform random pixels (--data uniform)"
      }`,
  );
  const all = threads.at(-1)!;
  console.log(
    "error" in torch
      ? `PyTorch: none (${torch.error})`
      : `PyTorch ${torch.version}, CPU${
        torch.capability ? ` (${torch.capability} kernels)` : ""
      }, ` +
        `from ${python!.python}, at 1 and ${all} threads ` +
        `(torch.set_num_threads; ${cores} hardware threads; malloc keeping freed memory: ` +
        `GLIBC_TUNABLES=${TORCH_MALLOC.GLIBC_TUNABLES})`,
  );
  // diabolo's ms over PyTorch's at 1 thread and at all cores, as table cells.
  const overTorch = (model: string, ms: number) => {
    const byThreads = "error" in torch ? undefined : torch.ms.get(model);
    return [1, all].map((n) => byThreads?.get(n) ? `${(ms / byThreads.get(n)!).toFixed(2)}x` : "-")
      .join(" | ");
  };
  const workerCounts = new Set([1, ...loops.map((l) => l.workers)]);
  console.log(`diabolo workers: ${[...workerCounts].join(", ")} (the step table: 1)`);
  console.log("");
  console.log(
    "| model | batch | backend | workers | ms/step | / wasm | reads in the steps (blocking) " +
      `| kernels/step | GPU programs/step | PyTorch 1 thread | PyTorch ${all} threads ` +
      `| / PyTorch 1 thread | / PyTorch ${all} threads |`,
  );
  console.log("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
  for (const t of timings.values()) {
    const byThreads = "error" in torch ? undefined : torch.ms.get(t.model);
    const wasm = timings.get(`${t.model} wasm`)!;
    console.log(
      `| ${t.model} | ${t.batchSize} | ${t.backend} | ${t.workers} | ${f(t.msPerStep)} | ` +
        `${
          (t.msPerStep / wasm.msPerStep).toFixed(2)
        }x | ${t.reads.reads} (${t.reads.syncReads}) | ` +
        `${t.kernelsPerStep} | ${t.programsPerStep} | ${f(byThreads?.get(1))} | ` +
        `${f(byThreads?.get(all))} | ${overTorch(t.model, t.msPerStep)} |`,
    );
  }
  if (loops.length) {
    console.log(
      "\nthe wasm fit loop (gathered batches, the step, the gradient exchange) on N threads, " +
        "as N replicas or as kernel threads: ms per step, and per replica ms per step " +
        "computing / exchanging / updating / idle",
    );
    console.log(
      "\n| model | batch | workers | parallel | ms/step | / 1 worker | s/epoch (60,000) " +
        `| / PyTorch 1 thread | / PyTorch ${all} threads |`,
    );
    console.log("|---|---:|---:|---|---:|---:|---:|---:|---:|");
    for (const l of loops) {
      const batch = getModel(l.model).defaults.batchSize;
      const one = loops.find((o) => o.model === l.model && o.workers === 1);
      console.log(
        `| ${l.model} | ${batch} | ${l.workers} | ${l.workers > 1 ? l.mode : "-"} | ` +
          `${f(l.msPerStep)} | ` +
          `${one ? `${(l.msPerStep / one.msPerStep).toFixed(2)}x` : "-"} | ` +
          `${(Math.ceil(60000 / batch) * l.msPerStep / 1000).toFixed(2)} | ` +
          `${overTorch(l.model, l.msPerStep)} |`,
      );
    }
    for (const l of loops.filter((l) => l.profile)) {
      console.log(`  ${l.model}, ${l.workers} replicas: ${l.profile}`);
    }
  }
  if (ours.size) {
    const rates = (byThreads: Map<number, number>, unit: string) =>
      threads.map((n) => `${byThreads.get(n)?.toFixed(1) ?? "-"} (${n} ${n > 1 ? unit : "thread"})`)
        .join(", ");
    console.log(
      `\nthe dense AE's largest product, ${PRODUCT[0]}x${PRODUCT[1]} . ${PRODUCT[1]}x${
        PRODUCT[2]
      }, ` +
        `GFLOP/s, best of 5 x 100 calls: diabolo ${rates(ours, "kernel threads")}` +
        ("error" in torch ? "" : `; PyTorch ${rates(torch.products, "threads")}`),
    );
  }
  console.log(`\n${loadLine()} (end)`);
  console.log("the hypervisor's share of the CPU time (unaccounted by the OS):");
  for (const [m, time] of cpuTime) {
    console.log(
      `  ${m}: ${stealShare(time.diabolo)} during diabolo's timings` +
        ("error" in torch ? "" : `, ${stealShare(time.torch)} during PyTorch's`),
    );
  }
  for (const t of [...timings.values()].filter((t) => t.profile)) {
    const rows = [...t.profile!].sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1]);
    const total = rows.reduce((s, [, [ms]]) => s + ms, 0);
    console.log(
      `\nkernel profile, one ${t.model} step on ${t.backend} (${total.toFixed(1)} ms in kernels):`,
    );
    for (const [name, [ms, calls]] of rows.slice(0, 12)) {
      console.log(`  ${name.padEnd(22)} ${ms.toFixed(2).padStart(8)} ms  ${calls} calls`);
    }
  }
}

if (import.meta.main) await runTask(main);
