/**
 * The gradients of a stack of dense layers taken by hand: the forward pass
 * as one fused product (with bias and ReLU) a layer, then the backward pass
 * as the same products tfjs's gradients would run, without recording a
 * tape. Only the last activation and the loss go through `tf.valueAndGrad`.
 * A 128-row step of the dense AE (Adam included) runs 49 kernels instead of
 * 120 and none of the tape's bookkeeping, and the gradients are the tape's
 * bit for bit (tests/dense_backprop_test.ts): the same kernels in the same
 * order. The VAE's hand-written gradients (src/models/vae.ts) use the same
 * dense-layer pieces.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { MODELS } from "../models/registry.ts";
 * import { backpropPlan, stackGradients } from "./dense_backprop.ts";
 * const ae = MODELS.dense.build({ latentDim: 8, seed: 0 });
 * const plan = backpropPlan(ae.layers ?? [])!;
 * const x = tf.zeros([4, 784]);
 * const { value, grads } = stackGradients(plan, x, (output) => tf.mean(tf.square(tf.sub(output, x))));
 * ```
 *
 * @module
 */
import { tf, type tfl } from "../deps.ts";
import { reluBackward } from "../backend/wasm_kernels/elementwise_math.ts";

/** The activations a plan's last layer may have (hidden layers: relu or linear). */
export type LastActivation = "relu" | "linear" | "tanh" | "sigmoid";

/** One dense layer of a plan. */
export interface PlannedLayer {
  kernel: tf.Variable;
  bias?: tf.Variable;
  activation: LastActivation;
}

/** A dense stack whose gradients {@linkcode stackGradients} takes. */
export interface BackpropPlan {
  layers: PlannedLayer[];
}

interface DenseConfig {
  activation?: string;
  rate?: number;
}

/**
 * The plan of `layers` when they are dense layers with ReLU or linear
 * hidden activations (and any of {@linkcode LastActivation} last), with
 * dropout layers of rate 0 between them; otherwise undefined, and the step
 * records a tape as for any other model.
 *
 * @example
 * ```ts
 * import { MODELS } from "../models/registry.ts";
 * backpropPlan(MODELS.conv.build({ latentDim: 8, seed: 0 }).layers ?? []); // undefined
 * ```
 */
export function backpropPlan(layers: tfl.layers.Layer[]): BackpropPlan | undefined {
  const planned: PlannedLayer[] = [];
  for (const layer of layers) {
    const config = layer.getConfig() as DenseConfig;
    const kind = layer.getClassName();
    if ((kind === "SeededDropout" || kind === "Dropout") && config.rate === 0) continue;
    if (kind !== "Dense") return undefined;
    const dense = plannedLayer(layer);
    if (!dense) return undefined;
    planned.push(dense);
  }
  const hidden = planned.slice(0, -1);
  if (!planned.length || hidden.some((l) => l.activation !== "relu" && l.activation !== "linear")) {
    return undefined;
  }
  return { layers: planned };
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
 * `loss(stack(input))` and its gradients with respect to every kernel and
 * bias of the plan, keyed by variable name, as `tf.variableGrads` gives
 * them; `input` is a batch of rows (rank 2).
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * import { MODELS } from "../models/registry.ts";
 * const plan = backpropPlan(MODELS.dense.build({ latentDim: 8, seed: 0 }).layers ?? [])!;
 * const { value, grads } = stackGradients(plan, tf.ones([2, 784]), (y) => tf.mean(y));
 * tf.dispose([value, grads]);
 * ```
 */
export function stackGradients(
  plan: BackpropPlan,
  input: tf.Tensor,
  loss: (output: tf.Tensor) => tf.Scalar,
): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  return tf.tidy(() => {
    const { layers } = plan;
    const last = layers.length - 1;
    // inputs[i] is layer i's input; the last layer's product stays linear, its
    // activation is taped with the loss.
    const inputs = [input as tf.Tensor2D];
    let z!: tf.Tensor2D;
    layers.forEach((layer, i) => {
      z = denseForward(inputs[i], layer, i < last && layer.activation === "relu");
      if (i < last) inputs.push(z);
    });
    const head = (pre: tf.Tensor) => loss(activate(pre, layers[last].activation));
    const { value, grad } = tf.valueAndGrad(head)(z);
    const grads: tf.NamedTensorMap = {};
    let g = grad as tf.Tensor;
    for (let i = last; i >= 0; i--) {
      const layer = layers[i];
      // Hidden ReLU: its output inputs[i + 1] is positive where its input was.
      if (i < last && layer.activation === "relu") g = reluBackward(g, inputs[i + 1]);
      g = denseBackward(inputs[i], g, layer, grads, i > 0)!;
    }
    return { value: value as tf.Scalar, grads };
  });
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
