/**
 * The integer geometry our convolution and pooling kernels take, from tfjs's attributes.
 * @module
 */
import { tf } from "../../deps.ts";

/** The attributes that fix a convolution's geometry. */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** batch, h, w, ci, oh, ow, co, fh, fw, sh, sw, pad top, pad left. */
export type ConvGeometry = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/**
 * batch, h, w, ci, oh, ow, co, fh, fw, sh, sw, pad top, pad left of a
 * convolution of `xShape` by `filterShape` (NHWC, dilation 1), as the kernels'
 * argument list; other layouts throw, naming `kernel`.
 */
export function convGeometry(
  kernel: string,
  xShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  if (info.dataFormat !== "channelsLast") {
    throw new Error(`${kernel} on wasm: only NHWC (channelsLast) is supported`);
  }
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    ...windowOf(info),
  ];
}

/**
 * A convolution's or pooling's window as the kernels take it: filter height
 * and width, strides, and the padding at the top and left.
 *
 * @example
 * ```ts
 * import { tf } from "../../deps.ts";
 * import { windowOf } from "./_conv_geometry.ts";
 * windowOf(tf.backend_util.computePool2DInfo([1, 4, 4, 1], 2, 2, 1, "valid")); // [2, 2, 2, 2, 0, 0]
 * ```
 */
export function windowOf(
  info: tf.backend_util.Conv2DInfo,
): [number, number, number, number, number, number] {
  return [
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/**
 * Bytes of one image of a convolution's input (h x w x ci) and of its output
 * (oh x ow x co): the strides between images, by which kernel threads give
 * each a range of the batch.
 *
 * @example
 * ```ts
 * import { imageBytes } from "./_conv_geometry.ts";
 * imageBytes([128, 28, 28, 1, 28, 28, 16, 3, 3, 1, 1, 1, 1]); // [3136, 50176]
 * ```
 */
export function imageBytes(geometry: ConvGeometry): [number, number] {
  const [, h, w, ci, oh, ow, co] = geometry;
  return [h * w * ci * 4, oh * ow * co * 4];
}

/** The attributes that fix a pooling's geometry (MaxPool's and MaxPoolGrad's). */
export interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/** tfjs's geometry of a 2D pooling of an NHWC `xShape` (dilation 1). */
export function poolGeometry(xShape: number[], attrs: PoolAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computePool2DInfo(
    xShape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
}
