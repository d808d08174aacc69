/**
 * What the models share about the shape of one input sample: the MNIST
 * default for runs that recorded none, flat sizes, how a shape reads in
 * errors, and the check a model with limits on its inputs runs before
 * building.
 * @module
 */
import { UserError } from "../errors.ts";

/** The sample shape of MNIST, which runs made before shapes were recorded were trained on. */
export const MNIST_SHAPE: readonly number[] = [28, 28, 1];

/** The number of values in one sample of `shape`. */
export function flatSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `28x28x1 images` or `rows of 20 features`, for messages. */
export function describeShape(shape: readonly number[]): string {
  return shape.length === 1 ? `rows of ${shape[0]} features` : `${shape.join("x")} images`;
}

/** What a model says about the inputs it takes. */
export interface InputLimits {
  /** The model's name. */
  name: string;
  /** Which samples it takes, in a few words (e.g. `HxWxC images of 8x8 and up`). */
  accepts?: string;
  /** Why it cannot take samples of `shape`, or `undefined` when it can. */
  refuses?(shape: readonly number[]): string | undefined;
}

/**
 * Throws a `UserError` saying which samples the model takes when it refuses
 * `shape`; returns `shape` otherwise.
 */
export function checkInputShape(model: InputLimits, shape: readonly number[]): readonly number[] {
  const why = model.refuses?.(shape);
  if (why !== undefined) {
    throw new UserError(
      `the ${model.name} model takes ${model.accepts ?? "any input"}, not ${
        describeShape(shape)
      }: ${why}`,
    );
  }
  return shape;
}

/** Why `shape` is not an image of at least `min` x `min` pixels, or `undefined` when it is. */
export function notAnImage(shape: readonly number[], min: number): string | undefined {
  if (shape.length !== 3) return "its layers are 2-d convolutions over images, not feature rows";
  const [h, w] = shape;
  if (h < min || w < min) return `it needs at least ${min}x${min} pixels`;
  return undefined;
}

/** The decoder's last activation: the model's own for bounded inputs, linear for unbounded ones. */
export function lastActivation<A extends "sigmoid" | "tanh">(
  own: A,
  unbounded = false,
): A | "linear" {
  return unbounded ? "linear" : own;
}
