/**
 * BatchNorm with PyTorch's defaults (eps 1e-5, running averages updated with
 * momentum 0.1, i.e. tfjs momentum 0.9), which the seed tutorials trained with.
 * @module
 */
import { tfl } from "../deps.ts";

/** A BatchNormalization layer over the channel axis with PyTorch's settings. */
export function batchNorm(name: string): tfl.layers.Layer {
  return tfl.layers.batchNormalization({ name, epsilon: 1e-5, momentum: 0.9 });
}
