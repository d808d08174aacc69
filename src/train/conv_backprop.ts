/**
 * The forward and backward passes of convolution layers taken by hand, as
 * {@linkcode ./backprop.ts} chains them: each runs the kernels tfjs's own
 * gradients would run, on the same inputs, so the gradients are the tape's
 * bit for bit. A convolution runs forward as one `FusedConv2D` (bias and
 * ReLU in its epilogue), where under a tape tfjs runs Conv2D, Add and Relu
 * as three passes over the output.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { convBackward, convForward } from "./conv_backprop.ts";
 * const layer = { kernel: tf.variable(tf.ones([3, 3, 1, 2])), strides: [1, 1] as [number, number], pad: "same" as const };
 * const x = tf.ones([1, 4, 4, 1]);
 * const y = convForward(x, layer, true); // 1 x 4 x 4 x 2
 * const grads: tf.NamedTensorMap = {};
 * convBackward(x, tf.onesLike(y), layer, grads, false);
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { reluBackward } from "../backend/wasm_kernels/elementwise_math.ts";
import { MAX_POOL_RELU_GRAD } from "../backend/wasm_kernels/max_pool_grad.ts";

/** A convolution layer's weights and geometry (NHWC, dilation 1). */
export interface ConvLayer {
  /** [height, width, in, out] for a convolution; [height, width, out, in] for a transposed one. */
  kernel: tf.Variable;
  bias?: tf.Variable;
  strides: [number, number];
  pad: "same" | "valid";
}

/** A 2-D max pooling's geometry (NHWC). */
export interface PoolLayer {
  size: [number, number];
  strides: [number, number];
  pad: "same" | "valid";
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: object) =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor4D;

/**
 * `conv(x, W) + b` of `layer`, through ReLU when `relu`: one `FusedConv2D`.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { kernel: tf.variable(tf.ones([1, 1, 1, 1])), strides: [1, 1] as [number, number], pad: "valid" as const };
 * convForward(tf.tensor4d([-1, 2], [1, 1, 2, 1]), layer, true); // [[[[0], [2]]]]
 * ```
 */
export function convForward(x: tf.Tensor, layer: ConvLayer, relu: boolean): tf.Tensor4D {
  const inputs: tf.NamedTensorMap = { x, filter: layer.kernel };
  if (layer.bias) inputs.bias = layer.bias;
  return run(tf.FusedConv2D, inputs, {
    strides: layer.strides,
    pad: layer.pad,
    dataFormat: "NHWC",
    dilations: [1, 1],
    activation: relu ? "relu" : "linear",
  });
}

/**
 * The backward pass of convolution `layer` at input `x`, for the gradient
 * `g` of its output before any activation: the kernel's and the bias's
 * gradients go into `grads` by variable name, as tfjs's Conv2D and Add
 * gradients make them, and the gradient of `x` is returned when
 * `needInput`.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { kernel: tf.variable(tf.ones([1, 1, 1, 1])), strides: [1, 1] as [number, number], pad: "valid" as const };
 * const grads: tf.NamedTensorMap = {};
 * convBackward(tf.ones([1, 1, 2, 1]), tf.ones([1, 1, 2, 1]), layer, grads, true); // 1s
 * grads[layer.kernel.name]; // [[[[2]]]]
 * ```
 */
export function convBackward(
  x: tf.Tensor,
  g: tf.Tensor,
  layer: ConvLayer,
  grads: tf.NamedTensorMap,
  needInput: boolean,
): tf.Tensor4D | undefined {
  const { kernel, bias, strides, pad } = layer;
  const geometry = { strides, pad, dataFormat: "NHWC" };
  grads[kernel.name] = run(tf.Conv2DBackpropFilter, { x, dy: g }, {
    ...geometry,
    filterShape: kernel.shape,
  });
  if (bias) grads[bias.name] = tf.sum(g, [0, 1, 2]);
  return needInput
    ? run(tf.Conv2DBackpropInput, { dy: g, filter: kernel }, { ...geometry, inputShape: x.shape })
    : undefined;
}

/**
 * The transposed convolution of `layer` (tfjs-layers' `conv2dTranspose`) to
 * an output of `outShape` (height, width, channels), plus its bias; the
 * activation is left to the caller, as tfjs-layers leaves it.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { kernel: tf.variable(tf.ones([2, 2, 1, 1])), strides: [2, 2] as [number, number], pad: "valid" as const };
 * convTransposeForward(tf.ones([1, 1, 1, 1]), layer, [2, 2, 1]); // 1 x 2 x 2 x 1 of 1s
 * ```
 */
export function convTransposeForward(
  x: tf.Tensor,
  layer: ConvLayer,
  outShape: [number, number, number],
): tf.Tensor4D {
  const { kernel, bias, strides, pad } = layer;
  const y = run(tf.Conv2DBackpropInput, { dy: x, filter: kernel }, {
    strides,
    pad,
    dataFormat: "NHWC",
    inputShape: [x.shape[0], ...outShape],
  });
  if (!bias) return y;
  const biased = tf.add(y, bias) as tf.Tensor4D;
  y.dispose();
  return biased;
}

/**
 * The backward pass of transposed convolution `layer` at input `x`, for the
 * gradient `g` of its output before any activation, as tfjs's
 * Conv2DBackpropInput and Add gradients make it: gradients into `grads`, and
 * the gradient of `x` returned when `needInput`.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { kernel: tf.variable(tf.ones([2, 2, 1, 1])), strides: [2, 2] as [number, number], pad: "valid" as const };
 * const grads: tf.NamedTensorMap = {};
 * convTransposeBackward(tf.ones([1, 1, 1, 1]), tf.ones([1, 2, 2, 1]), layer, grads, true); // [[[[4]]]]
 * ```
 */
export function convTransposeBackward(
  x: tf.Tensor,
  g: tf.Tensor,
  layer: ConvLayer,
  grads: tf.NamedTensorMap,
  needInput: boolean,
): tf.Tensor4D | undefined {
  const { kernel, bias, strides, pad } = layer;
  grads[kernel.name] = run(tf.Conv2DBackpropFilter, { x: g, dy: x }, {
    strides,
    pad,
    dataFormat: "NHWC",
    filterShape: kernel.shape,
  });
  if (bias) grads[bias.name] = tf.sum(g, [0, 1, 2]);
  return needInput ? tf.conv2d(g as tf.Tensor4D, kernel as tf.Tensor4D, strides, pad) : undefined;
}

/**
 * The max pooling of `layer` over `x`.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { size: [2, 2] as [number, number], strides: [2, 2] as [number, number], pad: "valid" as const };
 * poolForward(tf.tensor4d([1, 4, 3, 2], [1, 2, 2, 1]), layer); // [[[[4]]]]
 * ```
 */
export function poolForward(x: tf.Tensor, layer: PoolLayer): tf.Tensor4D {
  return tf.maxPool(x as tf.Tensor4D, layer.size, layer.strides, layer.pad);
}

/**
 * The gradient of max pooling `layer`'s input `x`, whose output was `y`,
 * for the output's gradient `g`: tfjs's MaxPoolGrad.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { size: [2, 2] as [number, number], strides: [2, 2] as [number, number], pad: "valid" as const };
 * const x = tf.tensor4d([1, 4, 3, 2], [1, 2, 2, 1]);
 * poolBackward(x, poolForward(x, layer), tf.ones([1, 1, 1, 1]), layer); // [0, 1, 0, 0]
 * ```
 */
export function poolBackward(
  x: tf.Tensor,
  y: tf.Tensor,
  g: tf.Tensor,
  layer: PoolLayer,
): tf.Tensor4D {
  return run(tf.MaxPoolGrad, { dy: g, input: x, output: y }, {
    filterSize: layer.size,
    strides: layer.strides,
    pad: layer.pad,
  });
}

/**
 * {@linkcode poolBackward}, then ReLU's gradient at the input of the ReLU
 * whose output `x` is: one {@link MAX_POOL_RELU_GRAD} kernel on backends
 * that register it (the two kernels' result bit for bit), the two elsewhere.
 *
 * @example
 * ```ts
 * import { tf } from "../deps.ts";
 * const layer = { size: [2, 2] as [number, number], strides: [2, 2] as [number, number], pad: "valid" as const };
 * const x = tf.tensor4d([0, 0, 0, 0], [1, 2, 2, 1]);
 * poolReluBackward(x, poolForward(x, layer), tf.ones([1, 1, 1, 1]), layer); // all 0: ReLU was off
 * ```
 */
export function poolReluBackward(
  x: tf.Tensor,
  y: tf.Tensor,
  g: tf.Tensor,
  layer: PoolLayer,
): tf.Tensor {
  if (tf.getKernel(MAX_POOL_RELU_GRAD, tf.getBackend()) !== undefined) {
    return run(MAX_POOL_RELU_GRAD, { dy: g, input: x, output: y }, {
      filterSize: layer.size,
      strides: layer.strides,
      pad: layer.pad,
    });
  }
  const pooled = poolBackward(x, y, g, layer);
  const dx = reluBackward(pooled, x);
  pooled.dispose();
  return dx;
}
