/**
 * The WebGPU backend as diabolo starts it: tfjs-backend-webgpu 4.22's
 * backend class on a device we request ourselves, our kernels over its slow
 * ones, and flags chosen for the adapter.
 *
 * - The device asks only for features tfjs uses in training: `timestamp-query`
 *   (kernel times in the profiler) when offered. tfjs's own factory also asks
 *   for `bgra8unorm-storage` when a real GPU offers it, and passes it nested
 *   in an array (`[["bgra8unorm-storage"]]`), which older Deno versions
 *   rejected; that feature only serves drawing to a canvas.
 * - `Conv2DBackpropFilter` runs as im2col and one matrix product instead of
 *   tfjs's one-thread-per-weight shader (see `webgpu_kernels/`).
 * - On a software adapter (Mesa's llvmpipe), convolutions run as im2col and a
 *   matrix product (`WEBGPU_CONV_SEPARATE_IM2COL_SHADER`): the tiled conv
 *   shader's workgroup barriers are what a CPU emulates worst.
 *
 * ```ts
 * import { deviceDescriptor } from "./webgpu.ts";
 * const adapter = await navigator.gpu?.requestAdapter();
 * if (adapter) console.log(deviceDescriptor(adapter).requiredFeatures);
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { conv2dBackpropFilterConfig } from "./webgpu_kernels/conv2d_backprop_filter.ts";

/** The parts of a `GPUAdapter` a device descriptor is made from. */
export type AdapterCapabilities = Pick<GPUAdapter, "features" | "limits">;

/**
 * The device tfjs needs from `adapter`: the adapter's own limits for the
 * ones tfjs sizes its work by, and `timestamp-query` if offered.
 *
 * @example
 * ```ts
 * const adapter = await navigator.gpu?.requestAdapter();
 * const device = await adapter?.requestDevice(deviceDescriptor(adapter));
 * ```
 */
export function deviceDescriptor(adapter: AdapterCapabilities): GPUDeviceDescriptor {
  const { limits } = adapter;
  return {
    requiredFeatures: adapter.features.has("timestamp-query") ? ["timestamp-query"] : [],
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  };
}

let registered = false;
let stockFilterGradient: tf.KernelConfig | undefined;
let software = false;

/**
 * Registers the `webgpu` backend (our device request, our kernels) once, and
 * sets the flags for an adapter that is (`software`) or is not a CPU
 * rasteriser. Call before `tf.setBackend("webgpu")`.
 *
 * @example
 * ```ts
 * await prepareWebGpu({ software: false });
 * ```
 */
export async function prepareWebGpu(options: { software: boolean }): Promise<void> {
  const { WebGPUBackend } = await import("npm:@tensorflow/tfjs-backend-webgpu@4.22.0");
  software = options.software;
  if (!registered) {
    registered = true;
    tf.removeBackend("webgpu");
    tf.registerBackend("webgpu", async () => {
      const adapter = await navigator.gpu.requestAdapter({ powerPreference: "high-performance" });
      if (!adapter) throw new Error("WebGPU: no adapter");
      const device = await adapter.requestDevice(deviceDescriptor(adapter));
      return new WebGPUBackend(device, adapter.info);
    }, 3);
    stockFilterGradient = tf.getKernel(tf.Conv2DBackpropFilter, "webgpu");
    if (!stockFilterGradient) {
      throw new Error("tfjs-backend-webgpu has no Conv2DBackpropFilter kernel to wrap");
    }
  }
  useStockWebGpuKernels(false);
}

/**
 * Switches between diabolo's WebGPU kernels and flags (the default after
 * {@linkcode prepareWebGpu}) and tfjs's stock ones, so that the benchmark
 * can time both in one run.
 *
 * @example
 * ```ts
 * useStockWebGpuKernels(true); // tfjs-backend-webgpu as it ships
 * ```
 */
export function useStockWebGpuKernels(stock: boolean): void {
  if (!stockFilterGradient) throw new Error("call prepareWebGpu first");
  tf.env().set("WEBGPU_CONV_SEPARATE_IM2COL_SHADER", software && !stock);
  tf.unregisterKernel(tf.Conv2DBackpropFilter, "webgpu");
  tf.registerKernel(stock ? stockFilterGradient : conv2dBackpropFilterConfig(stockFilterGradient));
}
