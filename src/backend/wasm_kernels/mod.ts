/**
 * Our kernels for tfjs-backend-wasm: ones it lacks, and faster ones for the
 * training hot spots. {@linkcode registerWasmKernels} registers them all.
 * @module
 */
import { tf } from "../../deps.ts";
import { conv2dBackpropFilterConfig } from "./conv2d_backprop_filter.ts";

const KERNELS: tf.KernelConfig[] = [conv2dBackpropFilterConfig];

/** Registers every kernel of this folder for the `wasm` backend, replacing stock ones of the same name. */
export function registerWasmKernels(): void {
  for (const k of KERNELS) {
    if (tf.getKernel(k.kernelName, k.backendName)) tf.unregisterKernel(k.kernelName, k.backendName);
    tf.registerKernel(k);
  }
}
