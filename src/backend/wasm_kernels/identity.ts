/**
 * `Identity`, and `Cast` to the same dtype, for tfjs-backend-wasm without a
 * copy: the output shares the input's data, counted by reference, as on the
 * cpu backend. The stock kernels copy, and the engine clones every tensor it
 * saves for the backward pass through Identity (57 copies per conv AE step).
 * @module
 */
import { tf } from "../../deps.ts";

/** The slice of tfjs-backend-wasm's `BackendWasm` that sharing data needs. */
interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

function share(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x } = args.inputs as { x: tf.TensorInfo };
  (args.backend as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** `Identity`: the input's data, shared. */
export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: "wasm",
  kernelFunc: share,
};

/** `Cast`: shared data when the dtype does not change, else the stock kernel. */
export function castConfig(stock: tf.KernelConfig): tf.KernelConfig {
  return {
    ...stock,
    kernelFunc: (args) =>
      (args.inputs as { x: tf.TensorInfo }).x.dtype ===
          (args.attrs as unknown as tf.CastAttrs).dtype
        ? share(args)
        : stock.kernelFunc(args),
  };
}
