/**
 * Our kernels for tfjs-backend-wasm: ones it lacks, and faster ones for the
 * training hot spots. {@linkcode registerWasmKernels} registers them all.
 * @module
 */
import { tf } from "../../deps.ts";
import { adamConfig } from "./adam.ts";
import { batchMatMulConfig, fusedMatMulConfig } from "./batch_mat_mul.ts";
import { bceConfig, bceGradConfig } from "./bce.ts";
import { BROADCAST_KERNELS, broadcastBinaryConfig } from "./broadcast_binary.ts";
import { conv2dConfig, fusedConv2dConfig } from "./conv2d.ts";
import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { conv2dBackpropInputConfig } from "./conv2d_backprop_input.ts";
import {
  logConfig,
  reluGradConfig,
  reluGradient,
  stepConfig,
  tanhConfig,
  tanhGradConfig,
  tanhGradient,
} from "./elementwise_math.ts";
import { castConfig, identityConfig } from "./identity.ts";
import { maxPoolConfig } from "./max_pool.ts";
import { maxPoolGradConfig, maxPoolReluGradConfig } from "./max_pool_grad.ts";
import { mseConfig, mseGradConfig } from "./mse.ts";
import { sumConfig } from "./sum.ts";

/** Kernels that replace the stock one outright, or that tfjs has no counterpart of. */
const KERNELS: tf.KernelConfig[] = [
  adamConfig,
  batchMatMulConfig,
  bceConfig,
  bceGradConfig,
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  identityConfig,
  maxPoolGradConfig,
  maxPoolReluGradConfig,
  mseConfig,
  mseGradConfig,
  reluGradConfig,
  tanhGradConfig,
];

/** Kernels that handle the cases they are fast at and hand the rest to the stock one. */
const WRAPPERS: Record<string, (stock: tf.KernelConfig) => tf.KernelConfig> = {
  ...Object.fromEntries(BROADCAST_KERNELS.map((name) => [name, broadcastBinaryConfig])),
  [tf.Cast]: castConfig,
  [tf.Conv2D]: conv2dConfig,
  [tf.FusedConv2D]: fusedConv2dConfig,
  [tf._FusedMatMul]: fusedMatMulConfig,
  [tf.Log]: logConfig,
  [tf.MaxPool]: maxPoolConfig,
  [tf.Step]: stepConfig,
  [tf.Sum]: sumConfig,
  [tf.Tanh]: tanhConfig,
};

const replaced = new Map<string, tf.KernelConfig>();

/**
 * The tfjs-backend-wasm kernel that ours replaced, for side-by-side benchmarks
 * (its `setupFunc` has not run: call it with the backend first).
 */
export function stockWasmKernel(name: string): tf.KernelConfig | undefined {
  return replaced.get(name);
}

/**
 * Registers every kernel of this folder for the `wasm` backend, replacing
 * stock ones of the same name, and ReLU's and Tanh's gradients (which use
 * our fused kernels on wasm and tfjs's ops on other backends).
 */
export function registerWasmKernels(): void {
  const configs = [...KERNELS];
  for (const [name, wrap] of Object.entries(WRAPPERS)) {
    const stock = tf.getKernel(name, "wasm");
    if (!stock) throw new Error(`tfjs-backend-wasm has no ${name} kernel to wrap`);
    configs.push(wrap(stock));
  }
  tf.registerGradient(reluGradient);
  tf.registerGradient(tanhGradient);
  for (const k of configs) {
    const old = tf.getKernel(k.kernelName, k.backendName);
    if (old) {
      if (!replaced.has(k.kernelName)) replaced.set(k.kernelName, old);
      tf.unregisterKernel(k.kernelName, k.backendName);
    }
    tf.registerKernel(k);
  }
}
