// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Tanh and Log over float32 arrays, four lanes at a time: the transcendental
// functions of the training losses and output layers (tfjs-wasm evaluates them
// one scalar libm call per element; log's approximation is in _simd_math.ts);
// Tanh's gradient, Step, ReLU's gradient mask, and ReLU's gradient itself.

import {
  held, heldBits, LN2_HI, LN2_LO, log4, LOG_P0, LOG_P1, LOG_P2, LOG_P3, LOG_P4, LOG_P5, LOG_P6, LOG_P7,
  LOG_P8, opaqueZero, step1, step4,
} from "./_simd_math";

/** The first `rem` (1 to 3) floats at x in the low lanes, 1 in the others. */
// @ts-ignore: decorator
@inline
function lanes(x: usize, rem: i32): v128 {
  let v = f32x4.splat(1);
  v = f32x4.replace_lane(v, 0, load<f32>(x));
  if (rem > 1) v = f32x4.replace_lane(v, 1, load<f32>(x, 4));
  if (rem > 2) v = f32x4.replace_lane(v, 2, load<f32>(x, 8));
  return v;
}

/** Stores the low `rem` (1 to 3) lanes of r at y (no writes past the end). */
// @ts-ignore: decorator
@inline
function storeLanes(y: usize, r: v128, rem: i32): void {
  store<f32>(y, f32x4.extract_lane(r, 0));
  if (rem > 1) store<f32>(y, f32x4.extract_lane(r, 1), 4);
  if (rem > 2) store<f32>(y, f32x4.extract_lane(r, 2), 8);
}

/**
 * tanh of four lanes: x P(x^2) / Q(x^2) on x clamped to [-9, 9], P and Q of
 * degree 4 with P(0) = Q(0) = 1 (fitted by tasks/reference/tanh_rational.py),
 * the quotient clamped to [-1, 1]. Within 6.3 float32 ulps (3.8e-7) of tanh
 * over every float32; exactly x below 2^-12 in magnitude (-0 and subnormals
 * included); +-1 at +-Infinity; NaN at NaN (pmin and pmax return their first
 * operand then). Cephes' tanh (an exp, a polynomial and a select), which this
 * replaced, took three times as long even with its constants held. The twelve
 * constants come from the caller, held (see opaqueZero).
 */
// @ts-ignore: decorator
@inline
function tanh4(
  v: v128, one: v128, minusOne: v128, hi: v128, lo: v128,
  p1: v128, p2: v128, p3: v128, p4: v128, q1: v128, q2: v128, q3: v128, q4: v128,
): v128 {
  const x = f32x4.pmax(f32x4.pmin(v, hi), lo);
  const z = f32x4.mul(x, x);
  let p = f32x4.relaxed_madd(p4, z, p3);
  p = f32x4.relaxed_madd(p, z, p2);
  p = f32x4.relaxed_madd(p, z, p1);
  p = f32x4.relaxed_madd(p, z, one);
  let q = f32x4.relaxed_madd(q4, z, q3);
  q = f32x4.relaxed_madd(q, z, q2);
  q = f32x4.relaxed_madd(q, z, q1);
  q = f32x4.relaxed_madd(q, z, one);
  // Rounding puts the quotient past 1 for some x (608,633 float32s below 9).
  return f32x4.pmax(f32x4.pmin(f32x4.div(f32x4.mul(p, x), q), one), minusOne);
}

/** y[i] = tanh(x[i]) for i < n. */
export function tanh(x: usize, y: usize, n: i32): void {
  const zero = opaqueZero(n);
  const one = held(1, zero), minusOne = held(-1, zero), hi = held(9, zero), lo = held(-9, zero);
  const p1 = held(0.13380377, zero), p2 = held(0.0034948173, zero);
  const p3 = held(2.0596632e-5, zero), p4 = held(1.3338163e-8, zero);
  const q1 = held(0.46713695, zero), q2 = held(0.025874045, zero);
  const q3 = held(3.2843818e-4, zero), q4 = held(7.769632e-7, zero);
  const end = x + <usize>(n & ~3) * 4;
  for (; x < end; x += 16, y += 16) {
    v128.store(y, tanh4(v128.load(x), one, minusOne, hi, lo, p1, p2, p3, p4, q1, q2, q3, q4));
  }
  const rem = n & 3;
  if (rem) storeLanes(y, tanh4(lanes(x, rem), one, minusOne, hi, lo, p1, p2, p3, p4, q1, q2, q3, q4), rem);
}

/** y[i] = ln(x[i]) for i < n: -inf at 0, NaN below 0, +inf at +inf. */
export function log(x: usize, y: usize, n: i32): void {
  const zero = opaqueZero(n);
  const minNormal = held(1.17549435e-38, zero), two23 = held(8388608, zero), bias = heldBits(126, zero);
  const twentyThree = held(23, zero), half = held(0.5, zero), sqrtHalf = held(0.707106781186547524, zero);
  const one = held(1, zero), p0 = held(LOG_P0, zero), p1 = held(LOG_P1, zero), p2 = held(LOG_P2, zero);
  const p3 = held(LOG_P3, zero), p4 = held(LOG_P4, zero), p5 = held(LOG_P5, zero), p6 = held(LOG_P6, zero);
  const p7 = held(LOG_P7, zero), p8 = held(LOG_P8, zero), ln2Lo = held(LN2_LO, zero), ln2Hi = held(LN2_HI, zero);
  const minusInf = held(-Infinity, zero), nan = held(NaN, zero), inf = held(Infinity, zero);
  const end = x + <usize>(n & ~3) * 4;
  for (; x < end; x += 16, y += 16) {
    v128.store(y, log4(
      v128.load(x), zero, minNormal, two23, bias, twentyThree, half, sqrtHalf, one,
      p0, p1, p2, p3, p4, p5, p6, p7, p8, ln2Lo, ln2Hi, minusInf, nan, inf,
    ));
  }
  const rem = n & 3;
  if (rem) {
    storeLanes(y, log4(
      lanes(x, rem), zero, minNormal, two23, bias, twentyThree, half, sqrtHalf, one,
      p0, p1, p2, p3, p4, p5, p6, p7, p8, ln2Lo, ln2Hi, minusInf, nan, inf,
    ), rem);
  }
}

/**
 * dx[i] = dy[i] * (1 - y[i] * y[i]) with y = tanh(x): Tanh's gradient in one
 * pass, rounded as tfjs's Square, Sub and Multiply round it (no fused
 * multiply-add), so equal to theirs.
 */
export function tanhGrad(dy: usize, y: usize, dx: usize, n: i32): void {
  const one = held(1, opaqueZero(n));
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    const t = v128.load(y + o);
    v128.store(dx + o, f32x4.mul(f32x4.sub(one, f32x4.mul(t, t)), v128.load(dy + o)));
  }
  for (; o < <usize>n * 4; o += 4) {
    const t = load<f32>(y + o);
    store<f32>(dx + o, (1 - t * t) * load<f32>(dy + o));
  }
}

/**
 * y[i] = 1 where x[i] > 0, NaN where x[i] is NaN, else `alpha`: tfjs's Step,
 * the mask of ReLU's gradient.
 */
export function step(x: usize, y: usize, n: i32, alpha: f32): void {
  const a = f32x4.splat(alpha);
  const end = x + <usize>(n & ~3) * 4;
  for (; x < end; x += 16, y += 16) v128.store(y, step4(v128.load(x), a));
  for (let i = 0; i < (n & 3); i++) store<f32>(y + <usize>(i * 4), step1(load<f32>(x + <usize>(i * 4)), alpha));
}

/**
 * dx[i] = dy[i] * step(x[i]) with step 1 above 0, NaN at NaN, else 0: ReLU's
 * gradient in one pass (tfjs runs Step, then a Multiply over its output).
 */
export function reluGrad(dy: usize, x: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) v128.store(dx + o, f32x4.mul(v128.load(dy + o), step4(v128.load(x + o), zero)));
  for (; o < <usize>n * 4; o += 4) store<f32>(dx + o, load<f32>(dy + o) * step1(load<f32>(x + o), 0));
}
