/**
 * PyTorch's default initialisation for tfjs layers: weights and biases
 * uniform in +-1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)), BatchNorm
 * at 1 and 0. The seed tutorials' results were measured with it, and drawing
 * from our own seeded generator makes the start backend-independent.
 * @module
 */
import { tf, type tfl } from "../deps.ts";
import { deriveSeed, Rng } from "../random.ts";

/** Every layer of `model` that holds weights, descending into nested models. */
export function leafLayers(model: tfl.LayersModel | tfl.layers.Layer): tfl.layers.Layer[] {
  const inner = (model as { layers?: tfl.layers.Layer[] }).layers;
  return inner ? inner.flatMap((l) => leafLayers(l)) : [model as tfl.layers.Layer];
}

/** fan_in as PyTorch computes it; ConvTranspose's counts output channels (its weight is in x out x k x k). */
function fanIn(layer: tfl.layers.Layer, kernel: number[]): number {
  const cls = layer.getClassName();
  if (cls === "Dense") return kernel[0];
  if (cls === "Conv2DTranspose") return kernel[0] * kernel[1] * kernel[2];
  return kernel.slice(0, -1).reduce((a, b) => a * b, 1);
}

/** Re-initialises every Dense / Conv2D / Conv2DTranspose layer of `models` as PyTorch would, from `seed`. */
export function initLikeTorch(models: (tfl.LayersModel | tfl.layers.Layer)[], seed: number): void {
  const layers = models.flatMap((m) => leafLayers(m));
  layers.forEach((layer, index) => {
    const cls = layer.getClassName();
    if (!["Dense", "Conv2D", "Conv2DTranspose"].includes(cls)) return;
    const weights = layer.getWeights();
    const bound = 1 / Math.sqrt(fanIn(layer, weights[0].shape));
    const fresh = weights.map((w, k) => {
      const rng = new Rng(deriveSeed(seed, 0x1a7e5, index, k));
      const values = new Float32Array(w.size);
      for (let i = 0; i < values.length; i++) values[i] = (2 * rng.uniform() - 1) * bound;
      return tf.tensor(values, w.shape);
    });
    layer.setWeights(fresh);
    fresh.forEach((t) => t.dispose());
  });
}
