/**
 * A dense layer's forward and backward passes taken by hand, as the
 * stacks of {@linkcode ./backprop.ts} and the VAE's gradients
 * (src/models/vae.ts) chain them: forward as one fused product (bias and
 * ReLU), backward as the products tfjs's gradients would run, in their
 * order, so the gradients are the tape's bit for bit.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { denseBackward, denseForward } from "./dense_backprop.ts";
 * const layer = { kernel: tf.variable(tf.ones([3, 2])), activation: "relu" as const };
 * const x = tf.ones([4, 3]);
 * const y = denseForward(x, layer, true); // 4 x 2 of 3s
 * const grads: tf.NamedTensorMap = {};
 * denseBackward(x, tf.onesLike(y), layer, grads, false);
 * ```
 *
 * @module
 */
import { tf, type tfl } from "../deps.ts";

/** The activations a plan's last layer may have (hidden layers: relu or linear). */
export type LastActivation = "relu" | "linear" | "tanh" | "sigmoid";

/** One dense layer of a plan. */
export interface PlannedLayer {
  kernel: tf.Variable;
  bias?: tf.Variable;
  activation: LastActivation;
}

interface DenseConfig {
  activation?: string;
}

/**
 * The planned layer of tfjs Dense layer `layer`, or undefined when its
 * activation is none of {@linkcode LastActivation}.
 *
 * @example
 * ```ts
 * import { tfl } from "../deps.ts";
 * const layer = tfl.layers.dense({ units: 2, activation: "relu", inputShape: [3] });
 * tfl.sequential({ layers: [layer] });
 * plannedLayer(layer)?.activation; // "relu"
 * ```
 */
export function plannedLayer(layer: tfl.layers.Layer): PlannedLayer | undefined {
  const activation = (layer.getConfig() as DenseConfig).activation as LastActivation;
  if (!["relu", "linear", "tanh", "sigmoid"].includes(activation)) return undefined;
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  return { kernel, bias, activation };
}

/**
 * `a W + b` of `layer`, through ReLU when `relu`: one fused product.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { kernel: tf.variable(tf.ones([3, 2])), activation: "linear" as const };
 * denseForward(tf.ones([4, 3]), layer, false); // 4 x 2 of 3s
 * ```
 */
export function denseForward(a: tf.Tensor, layer: PlannedLayer, relu: boolean): tf.Tensor2D {
  // The kernel itself: `tf.fused.matMul` would add three reshapes to 3-D and
  // a custom gradient's three saved copies, for a tape there is none of.
  const inputs: tf.NamedTensorMap = { a, b: layer.kernel };
  if (layer.bias) inputs.bias = layer.bias;
  const attrs = { transposeA: false, transposeB: false, activation: relu ? "relu" : "linear" };
  return tf.engine().runKernel(tf._FusedMatMul, inputs, attrs) as tf.Tensor2D;
}

/**
 * The backward pass of `layer` at input `a`, for the gradient `g` of its
 * product (before any activation): the kernel's and the bias's gradients go
 * into `grads` by variable name, as tfjs's matMul and add gradients make
 * them, and the gradient of `a` is returned when `needInput`.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { kernel: tf.variable(tf.ones([3, 2])), activation: "linear" as const };
 * const grads: tf.NamedTensorMap = {};
 * const da = denseBackward(tf.ones([4, 3]), tf.ones([4, 2]), layer, grads, true); // 4 x 3 of 2s
 * ```
 */
export function denseBackward(
  a: tf.Tensor,
  g: tf.Tensor,
  layer: PlannedLayer,
  grads: tf.NamedTensorMap,
  needInput: boolean,
): tf.Tensor2D | undefined {
  grads[layer.kernel.name] = tf.matMul(a as tf.Tensor2D, g as tf.Tensor2D, true, false);
  if (layer.bias) grads[layer.bias.name] = tf.sum(g, 0);
  return needInput ? tf.matMul(g as tf.Tensor2D, layer.kernel, false, true) : undefined;
}

/**
 * `activation` of `x`, as tfjs-layers applies it.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * activate(tf.tensor([-1, 2]), "relu"); // [0, 2]
 * ```
 */
export function activate(x: tf.Tensor, activation: LastActivation): tf.Tensor {
  if (activation === "relu") return tf.relu(x);
  if (activation === "tanh") return tf.tanh(x);
  if (activation === "sigmoid") return tf.sigmoid(x);
  return x;
}
