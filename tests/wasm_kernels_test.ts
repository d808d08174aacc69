/**
 * Our wasm-backend kernels equal the cpu backend's within 1e-4 relative error
 * on random shapes: strides 1 and 2, same and valid padding, batch 1, odd
 * sizes, every transpose, and sizes past the kernels' block sizes.
 */
import { assertAllClose, assertEquals } from "./_assert.ts";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { Rng } from "../src/random.ts";
import { Adam } from "../src/train/optimizer.ts";
import { ADAM } from "../src/backend/wasm_kernels/adam.ts";
import { workspaceIntact } from "../src/backend/wasm_kernels/_heap.ts";
import { RELU_GRAD, TANH_GRAD } from "../src/backend/wasm_kernels/elementwise_math.ts";
import { MSE, MSE_GRAD } from "../src/backend/wasm_kernels/mse.ts";
import { MAX_POOL_RELU_GRAD } from "../src/backend/wasm_kernels/max_pool_grad.ts";
import { reconstructionLoss } from "../src/train/losses.ts";

type Inputs = Record<string, number[]>;

function random(shape: number[], rng: Rng): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}

async function runOn(
  backend: "wasm" | "cpu",
  kernel: string,
  inputs: Record<string, [Float32Array, number[]]>,
  attrs: object,
): Promise<{ values: Float32Array; shape: number[] }> {
  await initBackend({ backend });
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, [v, s]]) => [k, tf.tensor(v, s)]),
  );
  const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  if (backend === "wasm" && !workspaceIntact(tf.backend())) {
    throw new Error(`${kernel} wrote past the end of its work area`);
  }
  const result = { values: out.dataSync() as Float32Array, shape: out.shape };
  tf.dispose([out, ...Object.values(tensors)]);
  return result;
}

/** Registers a test that runs `kernel` on both backends with the same random inputs. */
function differential(kernel: string, label: string, seed: number, shapes: Inputs, attrs: object) {
  Deno.test(`${kernel}: ${label}`, async () => {
    const rng = new Rng(seed);
    const inputs = Object.fromEntries(
      Object.entries(shapes).map(([k, s]) => [k, [random(s, rng), s]]),
    ) as Record<string, [Float32Array, number[]]>;
    const name = kernel.split(" ")[0];
    const wasm = await runOn("wasm", name, inputs, attrs);
    const cpu = await runOn("cpu", name, inputs, attrs);
    assertEquals(wasm.shape.join("x"), cpu.shape.join("x"));
    assertAllClose(wasm.values, cpu.values, { rel: 1e-4, abs: 1e-4 });
  });
}

type ConvCase = {
  x: number[];
  filter: number[];
  strides: number | [number, number];
  pad: "same" | "valid";
};

const CONV_CASES: ConvCase[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 2], strides: 1, pad: "same" },
  { x: [3, 9, 7, 4], filter: [3, 3, 4, 6], strides: 2, pad: "same" },
  { x: [2, 8, 8, 3], filter: [2, 2, 3, 5], strides: 2, pad: "valid" },
  { x: [1, 7, 11, 2], filter: [3, 5, 2, 3], strides: 1, pad: "valid" },
  { x: [5, 14, 14, 16], filter: [3, 3, 16, 32], strides: 1, pad: "same" },
  { x: [4, 13, 13, 3], filter: [4, 4, 3, 7], strides: 2, pad: "same" },
  { x: [2, 14, 14, 16], filter: [2, 2, 16, 32], strides: 2, pad: "valid" },
  { x: [3, 10, 9, 8], filter: [3, 2, 8, 12], strides: [2, 1], pad: "same" },
  { x: [2, 9, 13, 1], filter: [3, 3, 1, 5], strides: 1, pad: "valid" },
  { x: [2, 8, 12, 1], filter: [3, 3, 1, 16], strides: 1, pad: "same" },
  { x: [2, 9, 12, 1], filter: [3, 3, 1, 4], strides: [2, 1], pad: "same" },
  // 3x3 at stride 1 with channels in fours: Winograd's F(2x2, 3x3), with blocks
  // past odd edges and a last group of fewer than four blocks.
  { x: [1, 7, 9, 8], filter: [3, 3, 8, 12], strides: 1, pad: "same" },
  { x: [2, 9, 6, 4], filter: [3, 3, 4, 4], strides: 1, pad: "valid" },
  // Batches whose filter gradient sums its pixels in 2 and in 4 parts.
  { x: [12, 37, 37, 4], filter: [3, 3, 4, 4], strides: 1, pad: "same" },
  { x: [45, 14, 14, 5], filter: [3, 3, 5, 12], strides: 1, pad: "same" },
  { x: [22, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1, pad: "same" },
];

for (const [i, c] of CONV_CASES.entries()) {
  const info = tf.backend_util.computeConv2DInfo(
    c.x as [number, number, number, number],
    c.filter as [number, number, number, number],
    c.strides,
    1,
    c.pad,
  );
  const dy = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  const label = `x ${c.x} filter ${c.filter} stride ${c.strides} ${c.pad}`;
  const common = { strides: c.strides, pad: c.pad, dataFormat: "NHWC", dimRoundingMode: undefined };
  differential("Conv2D", label, 150 + i, { x: c.x, filter: c.filter }, { ...common, dilations: 1 });
  differential("FusedConv2D (bias, relu)", label, 170 + i, {
    x: c.x,
    filter: c.filter,
    bias: [c.filter[3]],
  }, { ...common, dilations: 1, activation: i % 2 ? "relu" : "linear" });
  differential("Conv2DBackpropFilter", label, i, { x: c.x, dy }, {
    ...common,
    filterShape: c.filter,
  });
  differential("Conv2DBackpropInput", label, 100 + i, { dy, filter: c.filter }, {
    ...common,
    inputShape: c.x,
  });
}

type PoolCase = { x: number[]; size: number; strides: number; pad: "same" | "valid" };

const POOL_CASES: PoolCase[] = [
  { x: [1, 4, 4, 1], size: 2, strides: 2, pad: "valid" },
  { x: [3, 28, 28, 16], size: 2, strides: 2, pad: "valid" },
  { x: [2, 7, 9, 6], size: 3, strides: 2, pad: "same" },
  { x: [2, 6, 5, 5], size: 3, strides: 1, pad: "same" },
  { x: [1, 9, 9, 8], size: 2, strides: 3, pad: "valid" },
  { x: [2, 6, 8, 6], size: 2, strides: 2, pad: "valid" },
];

/** The output shape of pooling case `c`. */
function pooledShape(c: PoolCase): number[] {
  const info = tf.backend_util.computePool2DInfo(
    c.x as [number, number, number, number],
    c.size,
    c.strides,
    1,
    c.pad,
  );
  return [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
}

for (const [i, c] of POOL_CASES.entries()) {
  const dy = pooledShape(c);
  differential("MaxPool", `x ${c.x} size ${c.size} stride ${c.strides} ${c.pad}`, 230 + i, {
    x: c.x,
  }, { filterSize: c.size, strides: c.strides, pad: c.pad, dimRoundingMode: undefined });
  // `output` is part of the kernel's inputs; both backends find the maxima from `input`.
  differential("MaxPoolGrad", `x ${c.x} size ${c.size} stride ${c.strides} ${c.pad}`, 200 + i, {
    dy,
    input: c.x,
    output: dy,
  }, { filterSize: c.size, strides: c.strides, pad: c.pad, dimRoundingMode: undefined });
}

Deno.test("MaxPoolGrad: ties go to the first position of the window, as on cpu", async () => {
  // Few distinct values, so most windows hold their maximum more than once.
  const rng = new Rng(250);
  const shape = [2, 8, 6, 8];
  const x = Float32Array.from({ length: 2 * 8 * 6 * 8 }, () => Math.round(rng.normal()));
  const dy = random([2, 4, 3, 8], rng);
  const inputs = {
    dy: [dy, [2, 4, 3, 8]],
    input: [x, shape],
    output: [dy, [2, 4, 3, 8]],
  } as Record<
    string,
    [Float32Array, number[]]
  >;
  const attrs = { filterSize: 2, strides: 2, pad: "valid", dimRoundingMode: undefined };
  const wasm = await runOn("wasm", "MaxPoolGrad", inputs, attrs);
  const cpu = await runOn("cpu", "MaxPoolGrad", inputs, attrs);
  assertAllClose(wasm.values, cpu.values, { rel: 0, abs: 0 });
});

Deno.test(`${MAX_POOL_RELU_GRAD}: MaxPoolGrad then ReLU's gradient at a ReLU's output, wasm's two kernels bit for bit, in every pooling case`, async () => {
  for (const [i, c] of POOL_CASES.entries()) {
    const rng = new Rng(260 + i);
    // A ReLU's output: a third of it 0, so windows tie at 0 and some ReLUs are off.
    const x = Float32Array.from(random(c.x, rng), (v) => Math.max(0, v + 0.4));
    const shape = pooledShape(c);
    const dy = random(shape, rng);
    const inputs = { dy: [dy, shape], input: [x, c.x], output: [dy, shape] } as Record<
      string,
      [Float32Array, number[]]
    >;
    const attrs = {
      filterSize: c.size,
      strides: c.strides,
      pad: c.pad,
      dimRoundingMode: undefined,
    };
    const fused = await runOn("wasm", MAX_POOL_RELU_GRAD, inputs, attrs);
    const expected = [];
    for (const backend of ["wasm", "cpu"] as const) {
      const pooled = await runOn(backend, "MaxPoolGrad", inputs, attrs);
      const masked = await runOn(backend, backend === "wasm" ? RELU_GRAD : "Multiply", {
        dy: [pooled.values, pooled.shape],
        ...(backend === "wasm"
          ? { x: [x, c.x] }
          : { a: [pooled.values, pooled.shape], b: [x.map((v) => v > 0 ? 1 : 0), c.x] }),
      }, {});
      expected.push(masked.values);
    }
    const label = `x ${c.x} size ${c.size} stride ${c.strides} ${c.pad}`;
    assertEquals(fused.values, expected[0], `${label}: against wasm's two kernels`);
    // Overlapping windows sum in another order on cpu, as for MaxPoolGrad alone.
    assertAllClose(fused.values, expected[1], {
      rel: 1e-4,
      abs: 1e-4,
      msg: `${label}: against cpu`,
    });
  }
});

type MatMulCase = { a: number[]; b: number[]; transposeA: boolean; transposeB: boolean };

const MATMUL_CASES: MatMulCase[] = [
  { a: [1, 1, 1], b: [1, 1, 1], transposeA: false, transposeB: false },
  { a: [1, 128, 64], b: [1, 64, 1568], transposeA: false, transposeB: false },
  { a: [1, 300, 70], b: [1, 300, 33], transposeA: true, transposeB: false },
  { a: [1, 37, 300], b: [1, 13, 300], transposeA: false, transposeB: true },
  { a: [2, 9, 7], b: [2, 11, 9], transposeA: true, transposeB: true },
  { a: [3, 5, 6], b: [1, 6, 10], transposeA: false, transposeB: false },
  { a: [1, 17, 6], b: [4, 6, 3], transposeA: false, transposeB: false },
  { a: [1, 5, 8], b: [1, 8, 530], transposeA: false, transposeB: false },
];

for (const [i, c] of MATMUL_CASES.entries()) {
  const { transposeA, transposeB } = c;
  differential(
    "BatchMatMul",
    `a ${c.a}${transposeA ? "^T" : ""} b ${c.b}${transposeB ? "^T" : ""}`,
    300 + i,
    { a: c.a, b: c.b },
    { transposeA, transposeB },
  );
}

/** `rows` x `cols` normal values, each zero with probability `zeros`, and rows 4 to 7 all zero. */
function sparse(rows: number, cols: number, zeros: number, rng: Rng): Float32Array {
  return Float32Array.from({ length: rows * cols }, (_, i) => {
    const row = Math.floor(i / cols);
    return (row >= 4 && row < 8) || rng.uniform() < zeros ? 0 : rng.normal();
  });
}

for (const transposeA of [false, true]) {
  Deno.test(`BatchMatMul: an A${transposeA ? "^T" : ""} mostly of zeros, as images' pixels and ReLU's outputs, gives the product run whole bit for bit (its zero steps skipped)`, async () => {
    await initBackend({ backend: "wasm" });
    const rng = new Rng(330);
    const [m, k, n] = [262, 300, 40];
    // Four rows of A are all zero at a step with probability 0.85^4: about half of the steps.
    const opA = tf.tensor2d(sparse(m, k, 0.85, rng), [m, k]);
    const a = transposeA ? tf.transpose(opA) : opA;
    const b = tf.tensor2d(random([k, n], rng), [k, n]);
    // B with a column of infinities, where 0 x Infinity is NaN: no step of A may be skipped,
    // so its other columns are the product run whole.
    const [skipped, full] = tf.tidy(() => [
      tf.matMul(a, b, transposeA).dataSync() as Float32Array,
      tf.matMul(a, tf.concat([b, tf.fill([k, 1], Infinity)], 1), transposeA)
        .dataSync() as Float32Array,
    ]);
    const rows = (v: Float32Array, width: number) =>
      Array.from({ length: m }, (_, i) => [...v.slice(i * width, i * width + n)]);
    assertEquals(rows(full, n + 1), rows(skipped, n));
    // A's all-zero rows (a whole packed panel of four) meet the infinities at every step.
    assertEquals(full[5 * (n + 1) + n], NaN);
    const cpu = await runOn("cpu", tf.BatchMatMul, {
      a: [a.dataSync() as Float32Array, a.shape],
      b: [b.dataSync() as Float32Array, b.shape],
    }, { transposeA, transposeB: false });
    assertAllClose(skipped, cpu.values, { rel: 1e-4, abs: 1e-4 });
    await initBackend({ backend: "wasm" });
    tf.dispose([opA, a, b]);
  });
}

for (const zeros of [0, 0.85]) {
  Deno.test(`_FusedMatMul: bias and ReLU in the last of k's blocks are the product, Add and Relu run apart, bit for bit (A ${zeros ? "mostly zeros" : "dense"})`, async () => {
    await initBackend({ backend: "wasm" });
    const rng = new Rng(340);
    // k = 784 runs in four blocks; 262 rows and 45 columns end in partial tiles.
    const [m, k, n] = [262, 784, 45];
    const a = tf.tensor2d(sparse(m, k, zeros, rng), [m, k]);
    const b = tf.tensor2d(random([k, n], rng), [k, n]);
    const bias = tf.tensor1d(random([n], rng));
    const [fused, apart] = tf.tidy(() => [
      tf.fused.matMul({ a, b, bias, activation: "relu" }).dataSync() as Float32Array,
      tf.relu(tf.add(tf.matMul(a, b), bias)).dataSync() as Float32Array,
    ]);
    assertEquals(fused, apart);
    assertEquals(fused.some((v) => v === 0) && fused.some((v) => v > 0), true);
    tf.dispose([a, b, bias]);
  });
}

const BROADCAST_CASES: [number[], number[]][] = [
  [[6, 7, 5, 16], [16]],
  [[16], [6, 7, 5, 16]],
  [[9, 7], [1, 7]],
  [[1, 1, 3], [4, 5, 3]],
  [[33, 5], []],
  [[], [33, 5]],
  [[37], [1]],
  [[3, 1], [1, 4]],
  [[5, 8], [5, 8]],
];

for (const kernel of ["Add", "Sub", "Multiply", "RealDiv", "Maximum", "Minimum"]) {
  for (const [i, [a, b]] of BROADCAST_CASES.entries()) {
    differential(kernel, `a [${a}] b [${b}]`, 500 + i, { a, b }, {});
  }
}

type SumCase = { x: number[]; axis: number[]; keepDims: boolean };

const SUM_CASES: SumCase[] = [
  { x: [6, 7, 5, 16], axis: [0, 1, 2], keepDims: false },
  { x: [700, 13], axis: [0], keepDims: false },
  { x: [3, 4, 5], axis: [1, 0], keepDims: true },
  { x: [3, 4, 5], axis: [1], keepDims: false },
  { x: [2, 3], axis: [0, 1], keepDims: false },
];

for (const [i, c] of SUM_CASES.entries()) {
  differential("Sum", `x ${c.x} axis ${c.axis}${c.keepDims ? " keepDims" : ""}`, 400 + i, {
    x: c.x,
  }, { axis: c.axis, keepDims: c.keepDims });
}

Deno.test("Identity and same-dtype Cast share data that outlives their input", async () => {
  await initBackend({ backend: "wasm" });
  const x = tf.tensor([1.5, -2, 3], [3]);
  const y = tf.engine().runKernel("Identity", { x }) as tf.Tensor;
  const z = tf.engine().runKernel("Cast", { x }, { dtype: "float32" }) as tf.Tensor;
  const w = tf.engine().runKernel("Cast", { x }, { dtype: "int32" }) as tf.Tensor;
  x.dispose();
  assertAllClose(y.dataSync() as Float32Array, Float32Array.of(1.5, -2, 3), { abs: 0 });
  assertAllClose(z.dataSync() as Float32Array, Float32Array.of(1.5, -2, 3), { abs: 0 });
  assertAllClose(Float32Array.from(w.dataSync()), Float32Array.of(1, -2, 3), { abs: 0 });
  tf.dispose([y, z, w]);
});

type FusedCase = MatMulCase & { bias?: number[]; activation: string };

const FUSED_CASES: FusedCase[] = [
  {
    a: [1, 64, 256],
    b: [1, 256, 784],
    transposeA: false,
    transposeB: false,
    bias: [784],
    activation: "linear",
  },
  {
    a: [1, 37, 30],
    b: [1, 13, 37],
    transposeA: true,
    transposeB: true,
    bias: [13],
    activation: "relu",
  },
  { a: [2, 5, 9], b: [2, 9, 6], transposeA: false, transposeB: false, activation: "relu" },
  {
    a: [1, 5, 9],
    b: [1, 9, 6],
    transposeA: false,
    transposeB: false,
    bias: [6],
    activation: "elu",
  },
];

for (const [i, c] of FUSED_CASES.entries()) {
  const { transposeA, transposeB, activation } = c;
  differential(
    "_FusedMatMul",
    `a ${c.a}${transposeA ? "^T" : ""} b ${c.b}${
      transposeB ? "^T" : ""
    } bias ${c.bias} ${activation}`,
    500 + i,
    c.bias ? { a: c.a, b: c.b, bias: c.bias } : { a: c.a, b: c.b },
    { transposeA, transposeB, activation, leakyreluAlpha: 0.2 },
  );
}

for (const alpha of [0, 0.25]) {
  Deno.test(`Step (alpha ${alpha}): equals cpu on 0, -0, NaN, infinities and random values`, async () => {
    const rng = new Rng(7);
    const values = Float32Array.from(
      [0, -0, NaN, Infinity, -Infinity, 1e-40, -1e-40, 1, -1, 3],
      (v) => v,
    );
    const all = Float32Array.from([...values, ...Array.from({ length: 1001 }, () => rng.normal())]);
    const results = [];
    for (const backend of ["wasm", "cpu"] as const) {
      await initBackend({ backend });
      const x = tf.tensor(all);
      const y = tf.engine().runKernel("Step", { x }, { alpha }) as tf.Tensor;
      results.push(y.dataSync() as Float32Array);
      tf.dispose([x, y]);
    }
    const [wasm, cpu] = results;
    for (let i = 0; i < all.length; i++) {
      const same = Object.is(wasm[i], cpu[i]) || (Number.isNaN(wasm[i]) && Number.isNaN(cpu[i]));
      assertEquals(same, true, `Step(${all[i]}): wasm ${wasm[i]}, cpu ${cpu[i]}`);
    }
  });
}

/**
 * `dy` times the gradient of `fn` at `x` on wasm, then on cpu, checking that
 * the fused kernel `fused` runs on wasm and not on cpu.
 */
async function gradientOnWasmAndCpu(
  fn: (v: tf.Tensor) => tf.Tensor,
  fused: string,
  x: Float32Array,
  dy: Float32Array,
): Promise<Float32Array[]> {
  const results = [];
  for (const backend of ["wasm", "cpu"] as const) {
    await initBackend({ backend });
    const [xt, dyt] = [tf.tensor(x), tf.tensor(dy)];
    let g: tf.Tensor | undefined;
    const { kernelNames } = await tf.profile(() => g = tf.grad(fn)(xt, dyt));
    assertEquals(kernelNames.includes(fused), backend === "wasm", kernelNames.join(" "));
    results.push(g!.dataSync() as Float32Array);
    tf.dispose([xt, dyt, g!]);
  }
  return results;
}

Deno.test("ReLU's gradient: one fused kernel on wasm, equal to cpu's dy * step(x) with NaN and 0", async () => {
  const rng = new Rng(11);
  const x = Float32Array.from([
    0,
    -0,
    NaN,
    1e-40,
    -1e-40,
    Infinity,
    -Infinity,
    ...random([1001], rng),
  ]);
  const dy = Float32Array.from([1, 2, 3, Infinity, 5, NaN, 7, ...random([1001], rng)]);
  const [wasm, cpu] = await gradientOnWasmAndCpu(tf.relu, RELU_GRAD, x, dy);
  for (let i = 0; i < x.length; i++) {
    const same = Object.is(wasm[i], cpu[i]) || (Number.isNaN(wasm[i]) && Number.isNaN(cpu[i]));
    assertEquals(same, true, `relu'(${x[i]}) * ${dy[i]}: wasm ${wasm[i]}, cpu ${cpu[i]}`);
  }
});

/** Bitwise equal, or both NaN. */
function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

Deno.test("DiaboloTanhGrad: equals cpu's (1 - y^2) dy bitwise, with saturated y, NaN and infinities", async () => {
  const rng = new Rng(12);
  const edges = [0, -0, 1, -1, NaN, 0.5, 1e-40, -0.9999999, 1, Infinity, 0.3];
  const y = Float32Array.from([
    ...edges,
    ...Array.from({ length: 1002 }, () => Math.tanh(rng.normal() * 2)),
  ]);
  const dy = Float32Array.from([
    ...[1, Infinity, NaN, 2, 3, -0, 5, 6, Infinity, 1, -Infinity],
    ...random([1002], rng),
  ]);
  for (const n of [3, y.length]) {
    await initBackend({ backend: "wasm" });
    const [yt, dyt] = [tf.tensor(y.subarray(0, n)), tf.tensor(dy.subarray(0, n))];
    const out = tf.engine().runKernel(TANH_GRAD, { dy: dyt, y: yt }) as tf.Tensor;
    const wasm = out.dataSync() as Float32Array;
    tf.dispose([out, yt, dyt]);
    await initBackend({ backend: "cpu" });
    const cpu = tf.tidy(() =>
      tf.mul(
        tf.sub(tf.scalar(1), tf.square(tf.tensor(y.subarray(0, n)))),
        tf.tensor(dy.subarray(0, n)),
      )
        .dataSync() as Float32Array
    );
    for (let i = 0; i < n; i++) {
      assertEquals(
        same(wasm[i], cpu[i]),
        true,
        `(1 - ${y[i]}^2) ${dy[i]}: wasm ${wasm[i]}, cpu ${cpu[i]}`,
      );
    }
  }
});

Deno.test("Tanh's gradient: one fused kernel on wasm, tfjs's ops on cpu, both within float32 rounding", async () => {
  const rng = new Rng(13);
  const x = Float32Array.from([0, -0, NaN, 1e-40, 12, -12, Infinity, ...random([1001], rng)]);
  const dy = Float32Array.from([1, 2, 3, Infinity, 5, NaN, 7, ...random([1001], rng)]);
  const [wasm, cpu] = await gradientOnWasmAndCpu(tf.tanh, TANH_GRAD, x, dy);
  for (let i = 0; i < x.length; i++) {
    // The backends' tanh differ by up to 3.8e-7, 1 - y^2 by twice that.
    const close = same(wasm[i], cpu[i]) ||
      Math.abs(wasm[i] - cpu[i]) <= 1e-6 * (1 + Math.abs(dy[i]));
    assertEquals(close, true, `tanh'(${x[i]}) * ${dy[i]}: wasm ${wasm[i]}, cpu ${cpu[i]}`);
  }
});

/** Values that probe the approximations' ranges and edges, then random ones. */
function probe(fn: "Tanh" | "Log", n: number, rng: Rng): Float32Array {
  const edges = fn === "Log"
    ? [0, -0, -1, Infinity, NaN, 1, 1e-40, 1e-30, 0.5, 0.7071, 0.70711, 2, 3e38]
    : [0, -0, 1e-40, -1e-6, 2.4e-4, -0.7, 5, 8.99, -9.5, 20, -Infinity, Infinity, NaN];
  const rest = Array.from({ length: n - edges.length }, () => {
    const v = rng.normal() * (fn === "Log" ? 8 : 3);
    return fn === "Log" ? Math.exp(v) : v;
  });
  return Float32Array.from([...edges, ...rest]);
}

for (const fn of ["Tanh", "Log"] as const) {
  for (const n of [13, 4099]) {
    Deno.test(`${fn}: ${n} values with the edges (0, infinities, NaN, subnormals)`, async () => {
      const values = probe(fn, n, new Rng(n));
      const run = async (backend: "wasm" | "cpu") => {
        await initBackend({ backend });
        const x = tf.tensor(values);
        const y = tf.engine().runKernel(fn, { x }) as tf.Tensor;
        const out = y.dataSync() as Float32Array;
        tf.dispose([x, y]);
        return out;
      };
      const wasm = await run("wasm"), cpu = await run("cpu");
      for (let i = 0; i < n; i++) {
        const [w, c] = [wasm[i], cpu[i]];
        const same = Object.is(w, c) || (Number.isNaN(w) && Number.isNaN(c)) || w === c;
        assertEquals(
          same || Math.abs(w - c) <= 1e-6 + 1e-6 * Math.abs(c),
          true,
          `${fn}(${values[i]}): wasm ${w}, cpu ${c}`,
        );
      }
    });
  }
}

Deno.test("kernels on tfjs's heap carry no data or start section (they would overwrite its memory)", () => {
  for (const entry of Deno.readDirSync(new URL("../asm/", import.meta.url))) {
    if (!entry.name.endsWith(".ts") || entry.name.startsWith("_")) continue;
    const source = Deno.readTextFileSync(new URL(`../asm/${entry.name}`, import.meta.url));
    if (!/^\/\/ asc-flags: .*--importMemory/m.test(source)) continue;
    const wasm = entry.name.replace(/\.ts$/, ".wasm");
    const bytes = Deno.readFileSync(new URL(`../asm/${wasm}`, import.meta.url));
    for (let i = 8; i < bytes.length;) {
      const id = bytes[i++];
      let size = 0;
      for (let shift = 0;; shift += 7) {
        const b = bytes[i++];
        size |= (b & 0x7f) << shift;
        if (b < 0x80) break;
      }
      assertEquals([8, 11].includes(id), false, `asm/${wasm} has section ${id} at byte ${i}`);
      i += size;
    }
  }
});

for (
  const [label, options] of [
    ["Adam", {}],
    ["Adam with L2 decay", { weightDecay: 0.01 }],
    ["AdamW", { weightDecay: 0.01, decoupled: true }],
  ] as const
) {
  Deno.test(`DiaboloAdam: 3 steps equal src/train/optimizer.ts's ${label}`, async () => {
    await initBackend({ backend: "wasm" });
    const rng = new Rng(600);
    const start = random([37, 5], rng);
    const grads = [0, 1, 2].map(() => random([37, 5], rng));
    const lr = 1e-2, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
    const wd = "weightDecay" in options ? options.weightDecay : 0;
    const decoupled = "decoupled" in options;
    const ref = tf.variable(tf.tensor(start, [37, 5]));
    const adam = new Adam([ref], { lr, ...options });
    let [w, m, v] = [tf.tensor(start, [37, 5]), tf.zeros([37, 5]), tf.zeros([37, 5])];
    for (const [t, g] of grads.entries()) {
      const grad = tf.tensor(g, [37, 5]);
      adam.step({ [ref.name]: grad });
      const attrs = {
        beta1,
        beta2,
        eps,
        stepSize: lr / (1 - beta1 ** (t + 1)),
        sqrtBc2: Math.sqrt(1 - beta2 ** (t + 1)),
        gradDecay: decoupled ? 0 : wd,
        weightScale: decoupled ? 1 - lr * wd : 1,
      };
      const next = tf.engine().runKernel(ADAM, { w, g: grad, m, v }, attrs) as tf.Tensor[];
      tf.dispose([w, m, v, grad]);
      [w, m, v] = next;
    }
    const state = adam.getState();
    assertAllClose(w.dataSync(), ref.dataSync(), { rel: 1e-6, abs: 1e-7 });
    assertAllClose(m.dataSync(), state.moments[0].dataSync(), { rel: 1e-6, abs: 1e-7 });
    assertAllClose(v.dataSync(), state.moments[1].dataSync(), { rel: 1e-6, abs: 1e-7 });
    tf.dispose([w, m, v, ref]);
    adam.dispose();
  });
}

/** p and y for the MSE tests: `n` values each, of the magnitudes `kind` names. */
function mseOperands(kind: "normal" | "large" | "mixed", n: number, rng: Rng) {
  const draw = () => {
    const v = rng.normal();
    if (kind === "normal") return v;
    // Squares near float32's largest (1e36 of 3.4e38), or from 1e-40 to 1e34 in one sum.
    return kind === "large"
      ? v * 1e17
      : v * 10 ** Math.max(-20, Math.min(17, Math.round(rng.normal() * 8)));
  };
  return [Float32Array.from({ length: n }, draw), Float32Array.from({ length: n }, draw)];
}

/** tfjs's ops on cpu: mean((p - y)^2) and its gradient, scaled by dy, by autodiff. */
async function mseOnCpu(p: Float32Array, y: Float32Array, dy: number) {
  await initBackend({ backend: "cpu" });
  const [pt, yt, dyt] = [tf.tensor(p), tf.tensor(y), tf.scalar(dy)];
  const f = (x: tf.Tensor) => tf.mean(tf.square(tf.sub(x, yt))) as tf.Scalar;
  const value = f(pt), grad = tf.grad(f)(pt, dyt);
  const result = { value: value.dataSync()[0], grad: grad.dataSync() as Float32Array };
  tf.dispose([pt, yt, dyt, value, grad]);
  return result;
}

/** Fails unless `actual` holds exactly the floats of `expected`. */
function assertSameFloats(actual: Float32Array, expected: Float32Array, label: string) {
  for (let i = 0; i < expected.length; i++) {
    assertEquals(
      Object.is(actual[i], expected[i]),
      true,
      `${label} element ${i}: ${actual[i]}, expected ${expected[i]}`,
    );
  }
}

for (const kind of ["normal", "large", "mixed"] as const) {
  for (const n of [1, 3, 6, 13, 1001, 128 * 784 + 7]) {
    Deno.test(`DiaboloMse, DiaboloMseGrad: ${n} ${kind} values give tfjs's ops' mean on cpu and their gradient bit for bit`, async () => {
      const [p, y] = mseOperands(kind, n, new Rng(700 + n));
      const dy = 0.37;
      const cpu = await mseOnCpu(p, y, dy);
      await initBackend({ backend: "wasm" });
      const [pt, yt, dyt] = [tf.tensor(p), tf.tensor(y), tf.scalar(dy)];
      const value = tf.engine().runKernel(MSE, { p: pt, y: yt }) as tf.Scalar;
      const grad = tf.engine().runKernel(MSE_GRAD, { p: pt, y: yt, dy: dyt }) as tf.Tensor;
      assertEquals(value.shape.length, 0);
      assertEquals(grad.shape.join("x"), `${n}`);
      // The cpu backend sums in float64 too; tfjs-backend-wasm's Mean sums in float32 and
      // is 2e-5 off at 100,352 values, so it is no reference.
      assertAllClose(value.dataSync(), [cpu.value], { rel: 1e-6, abs: 0 });
      assertSameFloats(grad.dataSync() as Float32Array, cpu.grad, `dL/dp`);
      tf.dispose([pt, yt, dyt, value, grad]);
    });
  }
}

Deno.test("DiaboloMse: squares past float32's largest give Infinity, as tfjs's ops do", async () => {
  const p = Float32Array.of(1, 2e19, 3, -4, 5), y = Float32Array.of(0, -2e19, 3, 4, 1);
  const cpu = await mseOnCpu(p, y, 1);
  await initBackend({ backend: "wasm" });
  const [pt, yt, dyt] = [tf.tensor(p), tf.tensor(y), tf.scalar(1)];
  const value = tf.engine().runKernel(MSE, { p: pt, y: yt }) as tf.Scalar;
  const grad = tf.engine().runKernel(MSE_GRAD, { p: pt, y: yt, dy: dyt }) as tf.Tensor;
  assertEquals(value.dataSync()[0], Infinity);
  assertEquals(cpu.value, Infinity);
  assertSameFloats(grad.dataSync() as Float32Array, cpu.grad, "dL/dp");
  tf.dispose([pt, yt, dyt, value, grad]);
});

Deno.test('reconstructionLoss("mse") under tf.grad: the fused kernels on wasm, tfjs\'s ops on cpu, one value and one gradient', async () => {
  const [p, y] = mseOperands("normal", 37 * 29, new Rng(750));
  const results = [];
  for (const backend of ["wasm", "cpu"] as const) {
    await initBackend({ backend });
    const [pt, yt] = [tf.tensor(p, [37, 29]), tf.tensor(y, [37, 29])];
    const f = (x: tf.Tensor) => reconstructionLoss("mse", x, yt);
    let value: tf.Scalar | undefined, grad: tf.Tensor | undefined;
    const { kernelNames } = await tf.profile(() => {
      value = f(pt);
      grad = tf.grad(f)(pt);
    });
    assertEquals(kernelNames.includes(MSE), backend === "wasm", kernelNames.join(" "));
    assertEquals(kernelNames.includes(MSE_GRAD), backend === "wasm", kernelNames.join(" "));
    results.push({ value: value!.dataSync()[0], grad: grad!.dataSync() as Float32Array });
    tf.dispose([pt, yt, value!, grad!]);
  }
  const [wasm, cpu] = results;
  const reference = await mseOnCpu(p, y, 1);
  assertAllClose([wasm.value, cpu.value], [reference.value, reference.value], {
    rel: 1e-6,
    abs: 0,
  });
  assertSameFloats(wasm.grad, reference.grad, "wasm dL/dp");
  assertSameFloats(cpu.grad, reference.grad, "cpu dL/dp");
});
