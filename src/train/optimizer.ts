/**
 * Adam and AdamW with PyTorch's exact update rule and a state that can be
 * saved and restored bit for bit, so a resumed run continues exactly where it
 * stopped (tfjs's own Adam re-derives its bias corrections on restore).
 *
 * ```ts
 * import { tf } from "../deps.ts";
 * import { Adam } from "./optimizer.ts";
 * const w = tf.variable(tf.ones([3]));
 * const opt = new Adam([w], { lr: 0.1 });
 * opt.step(tf.variableGrads(() => tf.sum(tf.square(w)), [w]).grads);
 * ```
 *
 * @module
 */
import { tf } from "../deps.ts";
import { ADAM, adamInPlace } from "../backend/wasm_kernels/adam.ts";

/** Options for {@linkcode Adam}. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay of the first moment's running mean (default 0.9). */
  beta1?: number;
  /** Decay of the second moment's running mean (default 0.999). */
  beta2?: number;
  /** Added to the denominator (default 1e-8, PyTorch's). */
  eps?: number;
  /** L2 penalty; added to the gradient (Adam) or decoupled (AdamW). Default 0. */
  weightDecay?: number;
  /** Decoupled weight decay, as `torch.optim.AdamW` (default false). */
  decoupled?: boolean;
}

/** The optimizer state: step count and both moments of every variable, in variable order. */
export interface AdamState {
  /** Updates taken. */
  step: number;
  /** First moments of every variable, then second moments. */
  moments: tf.Tensor[];
}

/** Adam / AdamW over a fixed list of variables. */
export class Adam {
  /** Learning rate; {@linkcode Adam.reset} may change it. */
  lr: number;
  /** Decay of the first moment's running mean. */
  readonly beta1: number;
  /** Decay of the second moment's running mean. */
  readonly beta2: number;
  /** Added to the denominator. */
  readonly eps: number;
  /** L2 penalty or decoupled weight decay. */
  readonly weightDecay: number;
  /** Whether weight decay is decoupled (AdamW). */
  readonly decoupled: boolean;
  #step = 0;
  #m: tf.Variable[];
  #v: tf.Variable[];

  /** An optimizer of `variables`, with fresh moments. */
  constructor(readonly variables: tf.Variable[], options: AdamOptions = {}) {
    this.lr = options.lr ?? 1e-3;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    this.decoupled = options.decoupled ?? false;
    // Made inside tidy, the zeros are freed and each moment alone owns its data, so Adam can
    // update it in place from the first step.
    const zeros = (v: tf.Variable) => tf.tidy(() => tf.variable(tf.zerosLike(v), false));
    this.#m = variables.map(zeros);
    this.#v = variables.map(zeros);
  }

  /** Applies one update from gradients keyed by variable name. */
  step(grads: tf.NamedTensorMap): void {
    this.#step++;
    const t = this.#step;
    const bc1 = 1 - this.beta1 ** t;
    const sqrtBc2 = Math.sqrt(1 - this.beta2 ** t);
    const stepSize = this.lr / bc1;
    // On wasm, one kernel does the whole update with the same float32
    // arithmetic in the same order as the ops below (tests/wasm_kernels_test.ts).
    const fused = tf.getKernel(ADAM, tf.getBackend()) !== undefined;
    const attrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      eps: this.eps,
      stepSize,
      sqrtBc2,
      gradDecay: this.decoupled ? 0 : this.weightDecay,
      weightScale: this.decoupled ? 1 - this.lr * this.weightDecay : 1,
    };
    tf.tidy(() => {
      this.variables.forEach((w, i) => {
        let g = grads[w.name];
        if (!g) return;
        if (fused) {
          const inputs = { w, g, m: this.#m[i], v: this.#v[i] };
          // Over the variables' own memory when nothing else shares it, else into new tensors.
          if (adamInPlace(inputs, attrs)) return;
          const [w1, m1, v1] = tf.engine().runKernel(ADAM, inputs, attrs) as tf.Tensor[];
          w.assign(w1);
          this.#m[i].assign(m1);
          this.#v[i].assign(v1);
          return;
        }
        if (this.weightDecay && !this.decoupled) g = tf.add(g, tf.mul(w, this.weightDecay));
        const base = this.weightDecay && this.decoupled
          ? tf.mul(w, 1 - this.lr * this.weightDecay)
          : w;
        const m = tf.add(tf.mul(this.#m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.#v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.#m[i].assign(m);
        this.#v[i].assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtBc2), this.eps);
        w.assign(tf.sub(base, tf.mul(tf.div(m, denom), stepSize)));
      });
    });
  }

  /** The state, as tensors the caller must not dispose (they are the optimizer's own). */
  getState(): AdamState {
    return { step: this.#step, moments: [...this.#m, ...this.#v] };
  }

  /** Restores a state saved from an optimizer over the same variables. */
  setState(state: AdamState): void {
    const n = this.variables.length;
    if (state.moments.length !== 2 * n) {
      throw new Error(`optimizer state holds ${state.moments.length} moments, expected ${2 * n}`);
    }
    this.#step = state.step;
    state.moments.forEach((t, i) => (i < n ? this.#m[i] : this.#v[i - n]).assign(t));
  }

  /**
   * Starts afresh, as a newly made optimizer would (step 0, zero moments),
   * optionally with a new learning rate: a new training phase.
   */
  reset(options: { lr?: number } = {}): void {
    this.#step = 0;
    tf.tidy(() => [...this.#m, ...this.#v].forEach((v) => v.assign(tf.zerosLike(v))));
    if (options.lr !== undefined) this.lr = options.lr;
  }

  /** Frees the moment variables. */
  dispose(): void {
    [...this.#m, ...this.#v].forEach((v) => v.dispose());
  }
}
