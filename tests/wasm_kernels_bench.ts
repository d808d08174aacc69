/**
 * Our wasm kernels next to tfjs-backend-wasm's stock ones (the baseline), at
 * the shapes of one conv AE training step (batch 128), the dense AE's
 * largest product (batch 256; also with A 81 % zeros, as MNIST's pixels are)
 * and its Tanh output layer (batch 128).
 * Conv2DBackpropFilter has no stock kernel: the stock Conv2D forward
 * (XNNPACK) of the same FLOPs stands in as the baseline. The MSE and BCE
 * losses' and Tanh's gradient's baselines are tfjs's ops for them (BCE's on
 * sigmoid outputs, as the conv AE's loss sees them). The fused max pooling
 * and ReLU gradient's baseline is our two kernels it replaces.
 *
 * ```sh
 * deno bench tests/wasm_kernels_bench.ts
 * ```
 */
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { stockWasmKernel } from "../src/backend/wasm_kernels/mod.ts";
import { reconstructionLoss } from "../src/train/losses.ts";
import { RELU_GRAD, TANH_GRAD } from "../src/backend/wasm_kernels/elementwise_math.ts";
import { MAX_POOL_RELU_GRAD } from "../src/backend/wasm_kernels/max_pool_grad.ts";

await initBackend({ backend: "wasm" });
const backend = tf.backend() as unknown as { disposeData(id: tf.DataId): void };

type Inputs = Record<string, tf.Tensor>;

/** Runs a kernel function outside the engine and frees its output. */
function call(config: tf.KernelConfig, inputs: Inputs, attrs: object) {
  const out = config.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap });
  for (const t of Array.isArray(out) ? out : [out]) backend.disposeData(t.dataId);
}

function pair(group: string, name: string, inputs: Inputs, attrs: object, baseline?: () => void) {
  const ours = tf.getKernel(name, "wasm")!;
  const stock = stockWasmKernel(name);
  stock?.setupFunc?.(backend as unknown as tf.KernelBackend);
  const base = baseline ?? (stock && (() => call(stock, inputs, attrs)));
  if (base) Deno.bench({ name: `${group} stock`, group, baseline: true, fn: base });
  Deno.bench({ name: `${group} diabolo`, group, fn: () => call(ours, inputs, attrs) });
}

const r = (shape: number[]) => tf.randomNormal(shape, 0, 1, "float32", 1);
const conv = { strides: 1, pad: "same", dataFormat: "NHWC", dimRoundingMode: undefined };
const x2 = r([128, 14, 14, 16]), dy2 = r([128, 14, 14, 32]), w2 = r([3, 3, 16, 32]);
const x1 = r([128, 28, 28, 16]), pooled = r([128, 14, 14, 16]);
const a = r([256, 784]), wDense = r([784, 128]), dyDense = r([256, 128]);

const stockConv2d = stockWasmKernel(tf.Conv2D)!;
stockConv2d.setupFunc?.(backend as unknown as tf.KernelBackend);
pair("Conv2D 128x14x14x16 * 3x3x16x32", tf.Conv2D, { x: x2, filter: w2 }, {
  ...conv,
  dilations: 1,
});
pair("Conv2D 128x28x28x1 * 3x3x1x16", tf.Conv2D, {
  x: r([128, 28, 28, 1]),
  filter: r([3, 3, 1, 16]),
}, {
  ...conv,
  dilations: 1,
});
pair(
  "Conv2DBackpropFilter 128x14x14x16 -> 3x3x16x32",
  tf.Conv2DBackpropFilter,
  {
    x: x2,
    dy: dy2,
  },
  { ...conv, filterShape: [3, 3, 16, 32] },
  () => call(stockConv2d, { x: x2, filter: w2 }, { ...conv, dilations: 1 }),
);
pair("Conv2DBackpropInput 128x14x14x32 -> 128x14x14x16", tf.Conv2DBackpropInput, {
  dy: dy2,
  filter: w2,
}, { ...conv, inputShape: [128, 14, 14, 16] });
pair("MaxPoolGrad 128x28x28x16 2x2", tf.MaxPoolGrad, { dy: pooled, input: x1, output: pooled }, {
  filterSize: 2,
  strides: 2,
  pad: "valid",
});
const pool2x2 = { filterSize: 2, strides: 2, pad: "valid" };
pair(
  "MaxPoolGrad then ReLU's gradient 128x28x28x16 2x2",
  MAX_POOL_RELU_GRAD,
  { dy: pooled, input: x1, output: pooled },
  pool2x2,
  () => {
    const poolGrad = tf.getKernel(tf.MaxPoolGrad, "wasm")!;
    const dx = poolGrad.kernelFunc(
      {
        inputs: { dy: pooled, input: x1, output: pooled },
        backend,
        attrs: pool2x2,
      } as unknown as Parameters<tf.KernelFunc>[0],
    ) as tf.TensorInfo;
    const dxTensor = tf.engine().makeTensorFromTensorInfo(dx);
    call(tf.getKernel(RELU_GRAD, "wasm")!, { dy: dxTensor, x: x1 }, {});
    dxTensor.dispose();
  },
);
pair("Sum bias gradient 128x28x28x16", tf.Sum, { x: x1 }, { axis: [0, 1, 2], keepDims: false });
pair("BatchMatMul A^T B 784x256 . 256x128", tf.BatchMatMul, { a, b: dyDense }, {
  transposeA: true,
  transposeB: false,
});
pair("BatchMatMul A B^T 256x128 . 128x784", tf.BatchMatMul, { a: dyDense, b: wDense }, {
  transposeA: false,
  transposeB: true,
});
pair("BatchMatMul A B 256x784 . 784x128", tf.BatchMatMul, { a, b: wDense }, {
  transposeA: false,
  transposeB: false,
});
// MNIST's pixels are 81 % zeros: where four rows of A are all zero, the product skips the step.
const sparseA = tf.mul(
  a,
  tf.cast(tf.greater(tf.randomUniform([256, 784], 0, 1, "float32", 2), 0.81), "float32"),
);
pair(
  "BatchMatMul A B 256x784 . 784x128, 81 % of A zero",
  tf.BatchMatMul,
  { a: sparseA, b: wDense },
  {
    transposeA: false,
    transposeB: false,
  },
);
pair("_FusedMatMul A B + bias 256x784 . 784x128", tf._FusedMatMul, {
  a: tf.reshape(a, [1, 256, 784]),
  b: tf.reshape(wDense, [1, 784, 128]),
  bias: r([128]),
}, { transposeA: false, transposeB: false, activation: "linear" });
pair("Add bias 128x28x28x16 + 16", tf.Add, { a: x1, b: r([16]) }, {});
pair("Maximum 128x28x28x1 with a scalar", tf.Maximum, {
  a: r([128, 28, 28, 1]),
  b: tf.scalar(-100),
}, {});
pair("Identity 128x28x28x16", tf.Identity, { x: x1 }, {});

const output = r([128, 784]), target = tf.randomUniform([128, 784]);
/** A loss's value and gradient through tfjs's ops (the baseline) and through ours. */
function lossBench(
  loss: string,
  input: tf.Tensor,
  versions: [string, (x: tf.Tensor) => tf.Scalar][],
): void {
  const group = `${loss} value and gradient 128x784`;
  for (const [name, f] of versions) {
    const valueAndGrad = tf.valueAndGrad(f);
    Deno.bench({
      name: `${group} ${name}`,
      group,
      baseline: name === "tfjs ops",
      fn: () => {
        const { value, grad } = valueAndGrad(input);
        tf.dispose([value, grad]);
      },
    });
  }
}

lossBench("MSE", output, [
  ["tfjs ops", (x) => tf.mean(tf.square(tf.sub(x, target))) as tf.Scalar],
  ["diabolo", (x) => reconstructionLoss("mse", x, target)],
]);

const probs = tf.sigmoid(tf.randomNormal([128, 784], 0, 3, "float32", 3));
lossBench("BCE", probs, [
  ["tfjs ops", (x) => {
    const logP = tf.maximum(tf.log(x), -100);
    const log1mP = tf.maximum(tf.log(tf.sub(1, x)), -100);
    return tf.neg(
      tf.mean(tf.add(tf.mul(target, logP), tf.mul(tf.sub(1, target), log1mP))),
    ) as tf.Scalar;
  }],
  ["diabolo", (x) => reconstructionLoss("bce", x, target)],
]);
pair("Log 128x784", tf.Log, { x: probs }, {});

const tanhX = tf.randomNormal([128, 784], 0, 2, "float32", 2);
pair("Tanh 128x784 (the dense AE's output layer)", tf.Tanh, { x: tanhX }, {});
const tanhY = tf.tanh(tanhX), tanhDy = r([128, 784]);
Deno.bench({
  name: "Tanh gradient 128x784 tfjs (Square, Sub, Multiply)",
  group: "Tanh gradient 128x784",
  baseline: true,
  fn: () => tf.tidy(() => tf.mul(tf.sub(tf.scalar(1), tf.square(tanhY)), tanhDy)).dispose(),
});
Deno.bench({
  name: "Tanh gradient 128x784 diabolo",
  group: "Tanh gradient 128x784",
  fn: () => (tf.engine().runKernel(TANH_GRAD, { dy: tanhDy, y: tanhY }) as tf.Tensor).dispose(),
});
