/**
 * The WebGPU backend as diabolo starts it: a device descriptor that asks
 * only for what training uses, and a filter gradient that matches the cpu
 * backend's for the geometries the zoo uses (on the adapter there is;
 * llvmpipe in CI).
 */
import { assertAllClose, assertEquals } from "./_assert.ts";
import { deviceDescriptor } from "../src/backend/webgpu.ts";
import { initBackend } from "../src/backend/backend.ts";
import { tf } from "../src/deps.ts";

const adapter = await navigator.gpu?.requestAdapter().catch(() => null);

function fakeAdapter(features: string[]) {
  const limits = {
    maxComputeWorkgroupStorageSize: 32768,
    maxComputeWorkgroupsPerDimension: 65535,
    maxStorageBufferBindingSize: 2 ** 31,
    maxBufferSize: 2 ** 32,
    maxComputeWorkgroupSizeX: 1024,
    maxComputeInvocationsPerWorkgroup: 1024,
  } as GPUSupportedLimits;
  return { features: new Set(features) as unknown as GPUSupportedFeatures, limits };
}

Deno.test("the device asks for timestamp-query when offered and never for bgra8unorm-storage, as flat names", () => {
  const gpu = deviceDescriptor(
    fakeAdapter(["timestamp-query", "bgra8unorm-storage", "shader-f16"]),
  );
  assertEquals(gpu.requiredFeatures, ["timestamp-query"]);
  assertEquals(deviceDescriptor(fakeAdapter([])).requiredFeatures, []);
  assertEquals((gpu.requiredLimits as Record<string, number>).maxBufferSize, 2 ** 32);
});

/** [input shape, filter shape, strides, padding]: the zoo's convolutions and an odd-sized, strided one. */
const CASES: [number[], number[], [number, number], "same" | "valid"][] = [
  [[3, 8, 8, 1], [3, 3, 1, 4], [1, 1], "same"],
  [[2, 7, 7, 5], [3, 3, 5, 6], [1, 1], "same"],
  [[2, 8, 8, 3], [2, 2, 3, 4], [2, 2], "valid"],
  [[2, 9, 7, 3], [3, 3, 3, 2], [2, 2], "same"],
];

Deno.test({
  name: "webgpu: Conv2DBackpropFilter as im2col and a matrix product equals the cpu backend's",
  ignore: !adapter,
  fn: async () => {
    await initBackend({ backend: "cpu" });
    for (const [xShape, fShape, strides, pad] of CASES) {
      const x = tf.randomUniform(xShape, -1, 1, "float32", 1);
      const w = tf.randomUniform(fShape, -1, 1, "float32", 2);
      const xs = await x.data(), ws = await w.data();
      const gradient = async (backend: "cpu" | "webgpu") => {
        await initBackend({ backend });
        const [xb, wb] = [tf.tensor(xs, xShape), tf.tensor(ws, fShape)];
        const loss = (f: tf.Tensor) =>
          tf.sum(tf.square(tf.conv2d(xb as tf.Tensor4D, f as tf.Tensor4D, strides, pad)));
        let g: tf.Tensor | undefined;
        const { kernelNames } = await tf.profile(() => void (g = tf.grad(loss)(wb)));
        // Our kernel's patches are strided slices; the stock shaders have none.
        assertEquals(
          kernelNames.includes("StridedSlice"),
          backend === "webgpu",
          kernelNames.join(),
        );
        const values = [...await g!.data()];
        tf.dispose([xb, wb, g!]);
        return values;
      };
      const [cpu, gpu] = [await gradient("cpu"), await gradient("webgpu")];
      assertAllClose(gpu, cpu, { rel: 1e-4, abs: 1e-4 });
      tf.dispose([x, w]);
    }
  },
});
