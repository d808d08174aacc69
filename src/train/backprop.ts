/**
 * The gradients of a plain stack of layers taken by hand, without recording
 * a tape: dense layers (src/train/dense_backprop.ts), convolutions,
 * transposed convolutions and max pooling (src/train/conv_backprop.ts), and
 * the reshapes between them. Each runs forward in as few kernels as it can
 * (a fused product or convolution with bias and ReLU), then backward as the
 * same kernels tfjs's gradients would run, so the gradients are the tape's
 * bit for bit (tests/backprop_test.ts). Only the last activation and the
 * loss go through `tf.valueAndGrad`. A 128-row step of the dense AE (Adam
 * included) runs 49 kernels instead of 120, and none of the tape's
 * bookkeeping.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { MODELS } from "../models/registry.ts";
 * import { backpropPlan, stackGradients } from "./backprop.ts";
 * const ae = MODELS.conv.build({ latentDim: 8, seed: 0 });
 * const plan = backpropPlan(ae.layers ?? [])!;
 * const x = tf.zeros([2, 28, 28, 1]);
 * const { value, grads } = stackGradients(plan, x, (output) => tf.mean(tf.square(tf.sub(output, x))));
 * ```
 *
 * @module
 */
import { tf, type tfl } from "../deps.ts";
import { reluBackward } from "../backend/wasm_kernels/elementwise_math.ts";
import {
  activate,
  denseBackward,
  denseForward,
  type LastActivation,
  plannedLayer,
} from "./dense_backprop.ts";
import {
  convBackward,
  convForward,
  type ConvLayer,
  convTransposeBackward,
  convTransposeForward,
  poolBackward,
  poolForward,
  poolReluBackward,
} from "./conv_backprop.ts";

/** One layer of a plan: its passes, and the activation it ends with. */
export interface PlannedStep {
  /** The layer's class, as tfjs-layers names it. */
  kind: string;
  /** Hidden layers end in relu or linear; the last layer, one with weights, in any. */
  activation: LastActivation;
  /** Whether the layer has weights (and so a gradient of its own). */
  weighted: boolean;
  /** The layer's output, through ReLU when `relu`; before its activation otherwise. */
  forward(x: tf.Tensor, relu: boolean): tf.Tensor;
  /**
   * The backward pass at input `x` and output `y`, for the gradient `g` of
   * the output before the activation: the weights' gradients into `grads`,
   * and the input's returned when `needInput`.
   */
  backward(
    x: tf.Tensor,
    y: tf.Tensor,
    g: tf.Tensor,
    grads: tf.NamedTensorMap,
    needInput: boolean,
  ): tf.Tensor | undefined;
  /**
   * The input's gradient passed on through the ReLU of the step before,
   * whose output `x` is: where a layer can do both in one pass (max pooling).
   */
  backwardThroughRelu?(x: tf.Tensor, y: tf.Tensor, g: tf.Tensor): tf.Tensor;
}

/** A stack whose gradients {@linkcode stackGradients} takes. */
export interface BackpropPlan {
  steps: PlannedStep[];
  /** The rank of the stack's input batches (2: rows; 4: NHWC images). */
  inputRank: number;
}

interface LayerConfig {
  activation?: string;
  rate?: number;
  strides?: number[];
  poolSize?: number[];
  padding?: string;
  dataFormat?: string;
  dilationRate?: number | number[];
  targetShape?: number[];
}

const pair = (v: number | number[] | undefined): [number, number] =>
  Array.isArray(v) ? [v[0], v[1] ?? v[0]] : [v ?? 1, v ?? 1];

/** The planned step of `layer`, or undefined for a layer or setting the plan does not cover. */
function plannedStep(layer: tfl.layers.Layer): PlannedStep | undefined {
  const config = layer.getConfig() as LayerConfig;
  const kind = layer.getClassName();
  const activation = (config.activation ?? "linear") as LastActivation;
  if (!["relu", "linear", "tanh", "sigmoid"].includes(activation)) return undefined;
  if (kind === "Dense") {
    const dense = plannedLayer(layer)!;
    return {
      kind,
      activation,
      weighted: true,
      forward: (x, relu) => denseForward(x, dense, relu),
      backward: (x, _y, g, grads, needInput) => denseBackward(x, g, dense, grads, needInput),
    };
  }
  if (kind === "Flatten" || kind === "Reshape") {
    const target = kind === "Flatten" ? [-1] : config.targetShape!;
    return {
      kind,
      activation,
      weighted: false,
      forward: (x) => tf.reshape(x, [x.shape[0], ...target]),
      backward: (x, _y, g) => tf.reshape(g, x.shape),
    };
  }
  const pad = config.padding as "same" | "valid";
  const nhwc = config.dataFormat === "channelsLast" && (pad === "same" || pad === "valid");
  if (!nhwc || pair(config.dilationRate).some((d) => d !== 1)) return undefined;
  const strides = pair(config.strides);
  if (kind === "MaxPooling2D") {
    const pool = { size: pair(config.poolSize), strides, pad };
    return {
      kind,
      activation,
      weighted: false,
      forward: (x) => poolForward(x, pool),
      backward: (x, y, g) => poolBackward(x, y, g, pool),
      backwardThroughRelu: (x, y, g) => poolReluBackward(x, y, g, pool),
    };
  }
  if (kind !== "Conv2D" && kind !== "Conv2DTranspose") return undefined;
  const [kernel, bias] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const conv: ConvLayer = { kernel, bias, strides, pad };
  if (kind === "Conv2D") {
    return {
      kind,
      activation,
      weighted: true,
      forward: (x, relu) => convForward(x, conv, relu),
      backward: (x, _y, g, grads, needInput) => convBackward(x, g, conv, grads, needInput),
    };
  }
  return {
    kind,
    activation,
    weighted: true,
    forward: (x, relu) => {
      // The layer's own output shape: tfjs-layers' rule for a transposed convolution's sides.
      const [, h, w, c] = layer.computeOutputShape(x.shape) as number[];
      const z = convTransposeForward(x, conv, [h, w, c]);
      if (!relu) return z;
      const y = tf.relu(z);
      z.dispose();
      return y;
    },
    backward: (x, _y, g, grads, needInput) => convTransposeBackward(x, g, conv, grads, needInput),
  };
}

/** The input rank a plan's first step takes. */
const INPUT_RANKS: Record<string, number> = {
  Dense: 2,
  Conv2D: 4,
  Conv2DTranspose: 4,
  MaxPooling2D: 4,
};

/**
 * The plan of `layers` when they are dense layers, convolutions (NHWC,
 * dilation 1), transposed convolutions, max poolings, flattens and reshapes,
 * with ReLU or linear hidden activations (and any of
 * {@linkcode LastActivation} on the last layer, which has weights), with
 * dropout layers of rate 0 between them; otherwise undefined, and the step
 * records a tape as for any other model.
 *
 * @example
 * ```ts
 * import { MODELS } from "../models/registry.ts";
 * backpropPlan(MODELS.dense.build({ latentDim: 8, seed: 0 }).layers ?? [])?.inputRank; // 2
 * backpropPlan(MODELS.deepconv.build({ latentDim: 8, seed: 0 }).layers ?? []); // undefined (BatchNorm)
 * ```
 */
export function backpropPlan(layers: tfl.layers.Layer[]): BackpropPlan | undefined {
  const steps: PlannedStep[] = [];
  for (const layer of layers) {
    const kind = layer.getClassName();
    if (
      (kind === "SeededDropout" || kind === "Dropout") &&
      (layer.getConfig() as LayerConfig).rate === 0
    ) {
      continue;
    }
    const step = plannedStep(layer);
    if (!step) return undefined;
    steps.push(step);
  }
  const inputRank = INPUT_RANKS[steps[0]?.kind];
  const last = steps.at(-1);
  const hidden = steps.slice(0, -1);
  if (
    !inputRank || !last?.weighted ||
    hidden.some((s) => s.activation !== "relu" && s.activation !== "linear")
  ) {
    return undefined;
  }
  return { steps, inputRank };
}

/**
 * `loss(stack(input))` and its gradients with respect to every kernel and
 * bias of the plan, keyed by variable name, as `tf.variableGrads` gives
 * them; `input` is a batch of the plan's input rank.
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
    const { steps } = plan;
    const last = steps.length - 1;
    const first = steps.findIndex((s) => s.weighted);
    // inputs[i] is step i's input; the last step's output stays before its
    // activation, which is taped with the loss.
    const inputs = [input];
    let z!: tf.Tensor;
    steps.forEach((step, i) => {
      z = step.forward(inputs[i], i < last && step.activation === "relu");
      if (i < last) inputs.push(z);
    });
    const head = (pre: tf.Tensor) => loss(activate(pre, steps[last].activation));
    const { value, grad } = tf.valueAndGrad(head)(z);
    z.dispose();
    const grads: tf.NamedTensorMap = {};
    // Each gradient and activation is freed once used, as tfjs's own backprop
    // frees them, so that the next outputs reuse memory that is still in cache.
    let g = grad as tf.Tensor;
    const next = (t: tf.Tensor | undefined) => {
      g.dispose();
      g = t!;
    };
    // Whether g already went back through step i's ReLU.
    let throughRelu = false;
    for (let i = last; i >= first; i--) {
      const step = steps[i];
      // Hidden ReLU: its output inputs[i + 1] is positive where its input was.
      if (i < last && step.activation === "relu" && !throughRelu) {
        next(reluBackward(g, inputs[i + 1]));
      }
      throughRelu = i > first && steps[i - 1].activation === "relu" && !!step.backwardThroughRelu;
      next(
        throughRelu
          ? step.backwardThroughRelu!(inputs[i], inputs[i + 1], g)
          : step.backward(inputs[i], inputs[i + 1], g, grads, i > first),
      );
      if (i < last) inputs[i + 1].dispose();
    }
    return { value: value as tf.Scalar, grads };
  });
}
