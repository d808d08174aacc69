/**
 * An epoch's training loss, summed on the device and read without stalling
 * the steps: on WebGPU every read waits for the GPU to go idle (and, in Deno,
 * about 10 ms more), so a read per step caps the step rate however fast the
 * GPU is. The meter keeps the image-weighted sum of the batch losses as one
 * device scalar, starts an asynchronous read every `readEvery` steps for the
 * progress bar (never awaited, at most one in flight), and reads the sum once
 * when the epoch's mean is asked for. A non-finite loss is caught when a read
 * lands, and reported with the range of steps it lies in.
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { LossMeter } from "./loss_meter.ts";
 * const meter = new LossMeter({ label: "epoch 1" });
 * await meter.add(tf.scalar(0.5), 128);
 * await meter.add(tf.scalar(0.3), 128);
 * console.log(await meter.mean()); // 0.4
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { UserError } from "../errors.ts";

/** Options for {@linkcode LossMeter}. */
export interface LossMeterOptions {
  /** Names the epoch in errors, e.g. `epoch 3`. */
  label: string;
  /** Steps between the asynchronous progress reads (default `Infinity`: only the epoch's one read). */
  readEvery?: number;
  /** Called when a progress read lands: steps done then, and the mean loss of the steps since the previous one. */
  onProgress?: (step: number, loss: number) => void;
}

/**
 * The loss went NaN or infinite: the run diverged. `steps` is the 1-based
 * range of steps it lies in (one step when the loss was read every step).
 */
export class NonFiniteLossError extends UserError {
  /** Printed before the message, in `String(error)` and stack traces. */
  override name = "NonFiniteLossError";
  /** The error of a loss `value` found between `steps` of the epoch `label` names. */
  constructor(label: string, readonly steps: [number, number], value: number) {
    super(
      `${label}, ${
        steps[0] === steps[1] ? `step ${steps[0]}` : `steps ${steps[0]}-${steps[1]}`
      }: the training loss became ${value} ` +
        "(lower the learning rate, or check the data for NaN)",
    );
  }
}

/** Sum of `loss * images` over an epoch's steps, kept on the device. */
export class LossMeter {
  readonly #opts: Required<LossMeterOptions>;
  #sum: tf.Scalar | undefined;
  #images = 0;
  #steps = 0;
  /** The last read that landed: steps, sum and images then. */
  #read = { steps: 0, sum: 0, images: 0 };
  #pending: Promise<void> | undefined;
  #failure: NonFiniteLossError | undefined;

  constructor(options: LossMeterOptions) {
    this.#opts = { readEvery: Infinity, onProgress: () => {}, ...options };
  }

  /**
   * Adds a step's mean batch loss over `images` images and disposes `loss`;
   * throws if an earlier read found the loss non-finite. It resolves at once,
   * except at a progress read, where it yields to the event loop so that a
   * read which has landed reaches `onProgress` (it never waits for the GPU).
   */
  async add(loss: tf.Scalar, images: number): Promise<void> {
    if (this.#failure) {
      tf.dispose([loss, this.#sum]);
      this.#sum = undefined;
      throw this.#failure;
    }
    const sum = tf.tidy(() => {
      const weighted = tf.mul(loss, images);
      return (this.#sum ? tf.add(this.#sum, weighted) : weighted) as tf.Scalar;
    });
    tf.dispose([loss, this.#sum]);
    this.#sum = sum;
    this.#images += images;
    this.#steps++;
    if (this.#steps % this.#opts.readEvery !== 0) return;
    if (!this.#pending) this.#startRead();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }

  /** Steps added so far. */
  get steps(): number {
    return this.#steps;
  }

  /**
   * The image-weighted mean loss of the epoch: waits for a progress read in
   * flight, reads the sum once and releases it.
   */
  async mean(): Promise<number> {
    await this.#pending;
    if (this.#failure) throw this.#failure;
    if (!this.#sum) return NaN;
    const sum = (await this.#sum.data())[0];
    this.#sum.dispose();
    this.#sum = undefined;
    this.#check(sum);
    if (this.#failure) throw this.#failure;
    return sum / this.#images;
  }

  #startRead(): void {
    const snapshot = this.#sum!.clone();
    const [steps, images] = [this.#steps, this.#images];
    this.#pending = snapshot.data().then((values) => {
      snapshot.dispose();
      this.#pending = undefined;
      const sum = values[0];
      this.#check(sum, steps);
      if (this.#failure) return;
      const last = this.#read;
      this.#read = { steps, sum, images };
      this.#opts.onProgress(steps, (sum - last.sum) / (images - last.images));
    });
  }

  /** Records a failure if `sum` (the sum up to `steps`) is not finite. */
  #check(sum: number, steps = this.#steps): void {
    if (Number.isFinite(sum) || this.#failure) return;
    this.#failure = new NonFiniteLossError(this.#opts.label, [this.#read.steps + 1, steps], sum);
  }
}
