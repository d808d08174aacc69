/**
 * The gradient exchange of data-parallel training: every replica writes its
 * gradients (all variables, flat, in the optimizer's order) and its share
 * of the loss to its own region of a `SharedArrayBuffer`, waits on an
 * `Atomics` barrier until all have, then sums the regions in rank order,
 * so every replica gets the same sum bit for bit and applies the same update.
 *
 * Regions alternate between two halves by step parity: a replica may start
 * writing step t + 1 while a slower one still reads step t, but it cannot
 * reach step t + 2 before every replica has arrived at step t + 1, which
 * each does only after reading step t.
 *
 * ```ts
 * import { exchangeMemory, GradientExchange } from "./exchange.ts";
 * const memory = exchangeMemory(1, 3);
 * const alone = new GradientExchange(memory, 0);
 * alone.region().set([1, 2, 3]);
 * console.log(alone.arrive(0.5)); // 0.5
 * console.log(alone.arrived(0)); // Float32Array [1, 2, 3]
 * ```
 *
 * @module
 */
import { SPIN_MS } from "../backend/spin.ts";

/** The shared memory of an exchange among `count` replicas of `size` parameters. */
export interface ExchangeMemory {
  /** Replicas. */
  count: number;
  /** Parameters (floats) per replica. */
  size: number;
  /** 2 x count x size floats: the gradients of each parity and rank. */
  grads: SharedArrayBuffer;
  /** 2 x count doubles: the weighted losses of each parity and rank. */
  losses: SharedArrayBuffer;
  /** Int32 [arrivals, failed]. */
  control: SharedArrayBuffer;
}

/** Allocates the shared memory of an exchange. */
export function exchangeMemory(count: number, size: number): ExchangeMemory {
  return {
    count,
    size,
    grads: new SharedArrayBuffer(2 * count * size * 4),
    losses: new SharedArrayBuffer(2 * count * 8),
    control: new SharedArrayBuffer(8),
  };
}

/** Milliseconds a replica spent in each part of its steps. */
export interface StepProfile {
  /** Making the batch, forward and backward passes. */
  compute: number;
  /** Copying gradients out and summing them. */
  exchange: number;
  /** The optimizer update. */
  update: number;
  /** Waiting at the barrier for the other replicas. */
  idle: number;
  /** Steps measured. */
  steps: number;
}

/** Thrown by a replica whose step waited for another that had failed. */
export class ReplicaFailed extends Error {
  /** Printed before the message. */
  override name = "ReplicaFailed";
}

/** A profile of no steps. */
export function emptyProfile(): StepProfile {
  return { compute: 0, exchange: 0, update: 0, idle: 0, steps: 0 };
}

/** No replica arrived for this long: one has stopped, and the others give up. */
const STALL_MS = 120_000;

/** One replica's end of an exchange. */
export class GradientExchange {
  readonly #grads: Float32Array;
  readonly #losses: Float64Array;
  readonly #control: Int32Array;
  #round = 0;
  #reading = 0;
  /** This replica's time so far (reset by the caller as it likes). */
  profile: StepProfile = emptyProfile();

  /** Replica `rank` (0-based) of `memory.count`. */
  constructor(readonly memory: ExchangeMemory, readonly rank: number) {
    this.#grads = new Float32Array(memory.grads);
    this.#losses = new Float64Array(memory.losses);
    this.#control = new Int32Array(memory.control);
  }

  /** This replica's region for the current round: write its gradients here before {@linkcode sum}. */
  region(): Float32Array {
    const { count, size } = this.memory;
    const at = ((this.#round % 2) * count + this.rank) * size;
    return this.#grads.subarray(at, at + size);
  }

  /**
   * Publishes this replica's region and `loss`, waits for the others and
   * returns the sum of all losses in rank order. Every replica's region of
   * the round can then be read with {@linkcode arrived}, until the next `arrive`.
   */
  arrive(loss: number): number {
    const { count } = this.memory;
    const half = (this.#round % 2) * count;
    this.#losses[half + this.rank] = loss;
    const t0 = performance.now();
    const target = count * (this.#round + 1);
    Atomics.add(this.#control, 0, 1);
    Atomics.notify(this.#control, 0);
    let seen = Atomics.load(this.#control, 0);
    // Polled first, as kernel threads wait (SPIN_MS): a vCPU that sleeps may wake late.
    for (let polls = 1; seen < target; polls++) {
      if ((polls & 1023) === 0 && performance.now() - t0 > SPIN_MS) break;
      seen = Atomics.load(this.#control, 0);
    }
    let since = t0;
    while (seen < target) {
      if (Atomics.load(this.#control, 1)) throw new ReplicaFailed("another replica failed");
      Atomics.wait(this.#control, 0, seen, 1000);
      const now = Atomics.load(this.#control, 0);
      if (now !== seen) since = performance.now();
      else if (performance.now() - since > STALL_MS) {
        throw new Error(`training workers stalled: no step for ${STALL_MS / 1000} s`);
      }
      seen = now;
    }
    this.profile.idle += performance.now() - t0;
    let total = this.#losses[half];
    for (let r = 1; r < count; r++) total += this.#losses[half + r];
    this.#reading = half;
    this.#round++;
    return total;
  }

  /**
   * Rank `rank`'s region of the round that last arrived; valid until this
   * replica's next {@linkcode arrive}.
   */
  arrived(rank: number): Float32Array {
    const { size } = this.memory;
    const at = (this.#reading + rank) * size;
    return this.#grads.subarray(at, at + size);
  }

  /** Tells the other replicas this one failed, so they stop waiting for it. */
  fail(): void {
    Atomics.store(this.#control, 1, 1);
    Atomics.notify(this.#control, 0);
  }
}
