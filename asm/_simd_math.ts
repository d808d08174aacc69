// deno-fmt-ignore-file: AssemblyScript, kept as written.
// Four-lane float32 log, shared by the kernels that need it, and the means to
// keep a loop's constants in registers. log: Cephes' single-precision
// approximation (a degree-8 polynomial around 1 after splitting off the
// exponent), accurate to a few float32 ulps, with IEEE results at the edges.
// Importers need relaxed SIMD.

const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

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

/** ln of four lanes: -inf at 0, NaN below 0, +inf at +inf. */
// @ts-ignore: decorator
@inline
export function log4(v: v128): v128 {
  // Subnormals: scale by 2^23 first, and take 23 off the exponent.
  const tiny = f32x4.lt(v, f32x4.splat(1.17549435e-38));
  const s = v128.bitselect(f32x4.mul(v, f32x4.splat(8388608)), v, tiny);
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(s, 23), i32x4.splat(126)));
  e = f32x4.sub(e, v128.and(f32x4.splat(23), tiny));
  // Mantissa in [0.5, 1), then shifted to [sqrt(0.5), sqrt(2)) - 1.
  let m = v128.or(v128.and(s, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const low = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  e = f32x4.sub(e, v128.and(f32x4.splat(1), low));
  m = f32x4.sub(f32x4.add(m, v128.and(m, low)), f32x4.splat(1));
  const z = f32x4.mul(m, m);
  let p = f32x4.splat(7.0376836292e-2);
  p = f32x4.relaxed_madd(p, m, f32x4.splat(-1.1514610310e-1));
  p = f32x4.relaxed_madd(p, m, f32x4.splat(1.1676998740e-1));
  p = f32x4.relaxed_madd(p, m, f32x4.splat(-1.2420140846e-1));
  p = f32x4.relaxed_madd(p, m, f32x4.splat(1.4249322787e-1));
  p = f32x4.relaxed_madd(p, m, f32x4.splat(-1.6668057665e-1));
  p = f32x4.relaxed_madd(p, m, f32x4.splat(2.0000714765e-1));
  p = f32x4.relaxed_madd(p, m, f32x4.splat(-2.4999993993e-1));
  p = f32x4.relaxed_madd(p, m, f32x4.splat(3.3333331174e-1));
  let r = f32x4.mul(f32x4.mul(p, m), z);
  r = f32x4.add(r, f32x4.mul(e, f32x4.splat(LN2_LO)));
  r = f32x4.sub(r, f32x4.mul(z, f32x4.splat(0.5)));
  r = f32x4.add(f32x4.add(m, r), f32x4.mul(e, f32x4.splat(LN2_HI)));
  // The edges, as IEEE log has them; NaN fails every comparison but the last.
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(v, f32x4.splat(0)));
  r = v128.bitselect(f32x4.splat(NaN), r, f32x4.lt(v, f32x4.splat(0)));
  r = v128.bitselect(v, r, f32x4.eq(v, f32x4.splat(Infinity)));
  return v128.bitselect(v, r, f32x4.ne(v, v));
}

