/**
 * Layer helpers the models share: dense stacks with explicit unique names,
 * and a dropout whose mask is drawn from the step's seed (passed as the
 * `seed` keyword of `apply`), so a resumed run draws the masks an
 * uninterrupted one would. tfjs's own Dropout reuses one seed every call.
 *
 * ```ts
 * import { denseStack } from "./_layers.ts";
 * const layers = denseStack("enc", [784, 128, 64], { activation: "relu", dropout: 0.2 });
 * ```
 *
 * @module
 */
import { tf, tfl } from "../deps.ts";
import { deriveSeed } from "../random.ts";
import { leafLayers } from "./_torch_init.ts";
import type { Autoencoder, Rows } from "./model.ts";

/**
 * Standard normal draws of `shape` from `seed`. tfjs takes a seed of 0 for
 * none and draws from `Math.random`, so 0 (every run's default seed, and
 * what a derived seed may be) is replaced by a fixed other seed.
 *
 * @example
 * ```ts
 * import { normalDraws } from "./_layers.ts";
 * normalDraws([2], 0).dataSync(); // the same two numbers every time
 * ```
 */
export function normalDraws(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, 1, "float32", seed === 0 ? ZERO_SEED : seed);
}

/** What {@linkcode normalDraws} draws from for seed 0: any fixed seed that is not 0. */
const ZERO_SEED = 0x5eed0;

/**
 * Standard normal draws of `shape` from `seed`, as for a whole batch: with
 * `rows`, those of the batch's `rows.total` rows, of which the slice's are
 * kept, so a sample's draws do not depend on how its batch is split among
 * data-parallel replicas.
 *
 * @example
 * ```ts
 * import { sliceDraws } from "./_layers.ts";
 * const whole = sliceDraws([4, 2], 7);
 * const part = sliceDraws([2, 2], 7, { offset: 2, total: 4 }); // rows 2 and 3 of `whole`
 * ```
 */
export function sliceDraws(shape: number[], seed: number, rows?: Rows): tf.Tensor {
  if (!rows || (rows.offset === 0 && rows.total === shape[0])) {
    return normalDraws(shape, seed);
  }
  return tf.tidy(() =>
    tf.slice(
      normalDraws([rows.total, ...shape.slice(1)], seed),
      rows.offset,
      shape[0],
    )
  );
}

/** Options of {@linkcode SeededDropout}. */
export interface SeededDropoutArgs {
  name: string;
  rate: number;
}

/**
 * Inverted dropout with a mask drawn from `kwargs.seed` mixed with the
 * layer's name; with `kwargs.rows`, the rows of the mask of the whole batch.
 */
export class SeededDropout extends tfl.layers.Layer {
  static className = "SeededDropout";
  readonly rate: number;
  readonly #key: number;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    this.rate = args.rate;
    this.#key = [...args.name].reduce(
      (h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193),
      0x811c9dc5,
    );
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return x;
    const seed = deriveSeed(Number(kwargs.seed ?? 0), this.#key);
    const rows = kwargs.rows as Rows | undefined;
    if (!rows || (rows.offset === 0 && rows.total === x.shape[0])) {
      return tf.dropout(x, this.rate, undefined, seed);
    }
    // A slice of a data-parallel step's batch: the whole batch's mask, these rows of it
    // (tf.dropout of ones is the mask's values exactly: floor(u + keep) / keep).
    return tf.tidy(() => {
      const mask = tf.dropout(
        tf.ones([rows.total, ...x.shape.slice(1)]),
        this.rate,
        undefined,
        seed,
      );
      return tf.mul(x, tf.slice(mask, rows.offset, x.shape[0]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}
tf.serialization.registerClass(SeededDropout);

/** A dropout layer after a hidden layer, or nothing when `rate` is 0. */
export function dropoutAfter(name: string, rate = 0): tfl.layers.Layer[] {
  return rate > 0 ? [new SeededDropout({ name: `${name}_dropout`, rate })] : [];
}

/** Options of {@linkcode denseStack}. */
export interface DenseStackOptions {
  /** Activation of the hidden layers (default relu). */
  activation?: "relu" | "sigmoid" | "tanh" | "linear";
  /** Activation of the last layer (default: `activation`). */
  last?: "relu" | "sigmoid" | "tanh" | "linear";
  /** Dropout after each hidden layer (default 0). */
  dropout?: number;
}

/**
 * Dense layers `sizes[0] -> sizes[1] -> ...` named `<prefix>_fc1`, `<prefix>_fc2`, ...;
 * the first one declares the input shape.
 */
export function denseStack(
  prefix: string,
  sizes: number[],
  options: DenseStackOptions = {},
): tfl.layers.Layer[] {
  const { activation = "relu", last = activation, dropout = 0 } = options;
  return sizes.slice(1).flatMap((units, i) => {
    const name = `${prefix}_fc${i + 1}`;
    const isLast = i === sizes.length - 2;
    return [
      tfl.layers.dense({
        name,
        units,
        activation: isLast ? last : activation,
        ...(i === 0 && { inputShape: [sizes[0]] }),
      }),
      ...(isLast ? [] : dropoutAfter(name, dropout)),
    ];
  });
}

/**
 * An autoencoder that is its encoder followed by its decoder: one
 * sequential container of both, which is also its reconstruction, and
 * the chain of their layers.
 */
export function chained(
  name: string,
  encoder: tfl.LayersModel,
  decoder: tfl.LayersModel,
): Pick<Autoencoder, "parameters" | "reconstruct" | "layers"> {
  const parameters = tfl.sequential({ name, layers: [encoder, decoder] });
  return {
    parameters,
    layers: leafLayers(parameters),
    reconstruct: (input, training, seed = 0, rows) =>
      parameters.apply(input, { training, seed, rows }) as tf.Tensor,
  };
}
