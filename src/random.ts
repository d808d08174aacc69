/**
 * Seeded randomness: a hash for deriving independent seeds and a small
 * counter-free generator for initialisation, subsets and shuffles.
 *
 * Everything random in a run derives from its `--seed` through
 * {@linkcode deriveSeed}, keyed by what it is for (epoch, layer, step), so a
 * resumed run draws exactly what an uninterrupted one would.
 *
 * ```ts
 * import { permutation, Rng } from "./random.ts";
 * const order = permutation(60000, 7);
 * const u = new Rng(7).uniform();
 * ```
 *
 * @module
 */

/** A 32-bit integer hash (the murmur3 finaliser); a good mixer for seeds and counters. */
export function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** A seed for one purpose, derived from the run's seed and integer keys (epoch, layer index, ...). */
export function deriveSeed(seed: number, ...keys: number[]): number {
  let h = mix32(seed ^ 0x9e3779b9);
  for (const k of keys) h = mix32(h ^ mix32(k + 0x632be5ab));
  return h;
}

/** A seeded pseudo-random generator (mulberry32): fast and reproducible, not cryptographic. */
export class Rng {
  #state: number;
  constructor(seed: number) {
    this.#state = mix32(seed) || 1;
  }
  /** A uniform float in [0, 1). */
  uniform(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** A uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
  /** A standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.uniform());
  }
}

/** A seeded random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, seed: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rng = new Rng(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
