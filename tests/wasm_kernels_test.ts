/**
 * Our wasm-backend kernels equal the cpu backend's on random shapes: strides
 * 1 and 2, same and valid padding, batch 1 and odd sizes.
 */
import { assertAllClose } from "./_assert.ts";
import { tf } from "../src/deps.ts";
import { initBackend } from "../src/backend/backend.ts";
import { Rng } from "../src/random.ts";

type Case = { x: number[]; filter: number[]; strides: number; pad: "same" | "valid" };

const CASES: Case[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 1, 2], strides: 1, pad: "same" },
  { x: [3, 9, 7, 4], filter: [3, 3, 4, 6], strides: 2, pad: "same" },
  { x: [2, 8, 8, 3], filter: [2, 2, 3, 5], strides: 2, pad: "valid" },
  { x: [1, 7, 11, 2], filter: [3, 5, 2, 3], strides: 1, pad: "valid" },
  { x: [5, 14, 14, 16], filter: [3, 3, 16, 32], strides: 1, pad: "same" },
  { x: [4, 13, 13, 3], filter: [4, 4, 3, 7], strides: 2, pad: "same" },
];

function random(shape: number[], rng: Rng): Float32Array {
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
}

async function runOn(
  backend: "wasm" | "cpu",
  kernel: string,
  inputs: Record<string, [Float32Array, number[]]>,
  attrs: object,
) {
  await initBackend({ backend });
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, [v, s]]) => [k, tf.tensor(v, s)]),
  );
  const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = out.dataSync().slice();
  tf.dispose([out, ...Object.values(tensors)]);
  return values;
}

for (const [i, c] of CASES.entries()) {
  Deno.test(`Conv2DBackpropFilter: x ${c.x} filter ${c.filter} stride ${c.strides} ${c.pad}`, async () => {
    const rng = new Rng(i);
    const info = tf.backend_util.computeConv2DInfo(
      c.x as [number, number, number, number],
      c.filter as [number, number, number, number],
      c.strides,
      1,
      c.pad,
    );
    const dyShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
    const inputs = { x: [random(c.x, rng), c.x], dy: [random(dyShape, rng), dyShape] } as Record<
      string,
      [Float32Array, number[]]
    >;
    const attrs = {
      strides: c.strides,
      pad: c.pad,
      dataFormat: "NHWC",
      dimRoundingMode: undefined,
      filterShape: c.filter,
    };
    const wasm = await runOn("wasm", "Conv2DBackpropFilter", inputs, attrs);
    const cpu = await runOn("cpu", "Conv2DBackpropFilter", inputs, attrs);
    assertAllClose(wasm, cpu, { rel: 1e-4, abs: 1e-4 });
  });
}
