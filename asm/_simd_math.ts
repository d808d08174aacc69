// deno-fmt-ignore-file: AssemblyScript, kept as written.
// Four-lane float32 log and tfjs's Step, shared by the kernels that need them,
// and the means to keep a loop's constants in registers. log: Cephes'
// single-precision approximation (a degree-8 polynomial around 1 after
// splitting off the exponent), accurate to a few float32 ulps, with IEEE
// results at the edges. Kernels that use log4 need relaxed SIMD.

// ln 2 in two parts (the high one exact in few bits), and the coefficients
// of ln(1 + m) = m - m^2 / 2 + m^3 P(m), P's of degree 8 (P0 its constant).
export const LN2_HI: f32 = 0.693359375;
export const LN2_LO: f32 = -2.12194440e-4;
export const LOG_P0: f32 = 3.3333331174e-1;
export const LOG_P1: f32 = -2.4999993993e-1;
export const LOG_P2: f32 = 2.0000714765e-1;
export const LOG_P3: f32 = -1.6668057665e-1;
export const LOG_P4: f32 = 1.4249322787e-1;
export const LOG_P5: f32 = -1.2420140846e-1;
export const LOG_P6: f32 = 1.1676998740e-1;
export const LOG_P7: f32 = -1.1514610310e-1;
export const LOG_P8: f32 = 7.0376836292e-2;

/**
 * Zero in every lane, made from a count (never negative) so that neither
 * Binaryen nor V8 can fold it. V8 builds a v128 constant anew at each use
 * inside a loop: a 64-bit immediate, a move to a vector register (one a
 * cycle) and a broadcast, three instructions per constant per vector (72 of
 * the 145 instructions a vector of the Cephes tanh this file had). A constant
 * OR-ed with this zero before the loop ({@link held}) is a value V8 computes
 * once and keeps in a register, or in a stack slot past 16 of them.
 */
// @ts-ignore: decorator
@inline
export function opaqueZero(count: i32): v128 {
  return i32x4.splat(count >>> 31);
}

/** `k` in every lane, for use inside a loop: built before it, on {@link opaqueZero}. */
// @ts-ignore: decorator
@inline
export function held(k: f32, zero: v128): v128 {
  return v128.or(f32x4.splat(k), zero);
}

/** The 32-bit integer `k` in every lane, held as {@link held} holds a float. */
// @ts-ignore: decorator
@inline
export function heldBits(k: i32, zero: v128): v128 {
  return v128.or(i32x4.splat(k), zero);
}

/**
 * ln of four lanes: -inf at 0, NaN below 0, +inf at +inf. Its constants come
 * from the caller, held before the loop (see opaqueZero):
 *   zero = opaqueZero(n), minNormal = held(1.17549435e-38, zero),
 *   two23 = held(8388608, zero), bias = heldBits(126, zero),
 *   twentyThree = held(23, zero), half = held(0.5, zero),
 *   sqrtHalf = held(0.707106781186547524, zero), one = held(1, zero),
 *   p0..p8 = held(LOG_P0..LOG_P8, zero), ln2Lo = held(LN2_LO, zero),
 *   ln2Hi = held(LN2_HI, zero), minusInf = held(-Infinity, zero),
 *   nan = held(NaN, zero), inf = held(Infinity, zero).
 * Every lane is as the same steps on constants built in place would give it.
 */
// @ts-ignore: decorator
@inline
export function log4(
  v: v128, zero: v128, minNormal: v128, two23: v128, bias: v128, twentyThree: v128, half: v128,
  sqrtHalf: v128, one: v128, p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, p5: v128, p6: v128,
  p7: v128, p8: v128, ln2Lo: v128, ln2Hi: v128, minusInf: v128, nan: v128, inf: v128,
): v128 {
  // Subnormals: scale by 2^23 first, and take 23 off the exponent.
  const tiny = f32x4.lt(v, minNormal);
  const s = i32x4.relaxed_laneselect(f32x4.mul(v, two23), v, tiny);
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(s, 23), bias));
  e = f32x4.sub(e, v128.and(twentyThree, tiny));
  // Mantissa in [0.5, 1), then shifted to [sqrt(0.5), sqrt(2)) - 1. The mask
  // 0x007fffff is the complement of -inf's bits, the exponent 0x3f000000 0.5's.
  let m = v128.or(v128.andnot(s, minusInf), half);
  const low = f32x4.lt(m, sqrtHalf);
  e = f32x4.sub(e, v128.and(one, low));
  m = f32x4.sub(f32x4.add(m, v128.and(m, low)), one);
  const z = f32x4.mul(m, m);
  let p = f32x4.relaxed_madd(p8, m, p7);
  p = f32x4.relaxed_madd(p, m, p6);
  p = f32x4.relaxed_madd(p, m, p5);
  p = f32x4.relaxed_madd(p, m, p4);
  p = f32x4.relaxed_madd(p, m, p3);
  p = f32x4.relaxed_madd(p, m, p2);
  p = f32x4.relaxed_madd(p, m, p1);
  p = f32x4.relaxed_madd(p, m, p0);
  let r = f32x4.mul(f32x4.mul(p, m), z);
  r = f32x4.add(r, f32x4.mul(e, ln2Lo));
  r = f32x4.sub(r, f32x4.mul(z, half));
  r = f32x4.add(f32x4.add(m, r), f32x4.mul(e, ln2Hi));
  // The edges, as IEEE log has them: -inf at +-0, NaN below 0, and v itself
  // at +inf and NaN, the two values not below +inf.
  r = i32x4.relaxed_laneselect(minusInf, r, f32x4.eq(v, zero));
  r = i32x4.relaxed_laneselect(nan, r, f32x4.lt(v, zero));
  return i32x4.relaxed_laneselect(r, v, f32x4.lt(v, inf));
}

/** tfjs's Step of four lanes: 1 above 0, NaN at NaN (kept quiet by the + 0), else `alpha`. */
// @ts-ignore: decorator
@inline
export function step4(v: v128, alpha: v128): v128 {
  const zero = f32x4.splat(0);
  return v128.bitselect(f32x4.add(v, zero), v128.bitselect(f32x4.splat(1), alpha, f32x4.gt(v, zero)), f32x4.ne(v, v));
}

/** tfjs's Step of one value. */
// @ts-ignore: decorator
@inline
export function step1(v: f32, alpha: f32): f32 {
  return v != v ? v : v > 0 ? 1 : alpha;
}
