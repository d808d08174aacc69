// deno-fmt-ignore-file: AssemblyScript, kept as written.
// Four-lane float32 exp, tanh and log, shared by the kernels that need them.
// Cephes' single-precision approximations (exp: degree-5 polynomial after
// reduction by ln 2; log: degree-8 around 1 after splitting off the exponent;
// tanh: an odd polynomial below 0.625, else from exp), accurate to a few
// float32 ulps, with IEEE results at the edges. Importers need relaxed SIMD.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** e^x for |x| <= 88 (the callers clamp). */
// @ts-ignore: decorator
@inline
export function expv(x: v128): v128 {
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.relaxed_madd(p, r, f32x4.splat(1.3981999507e-3));
  p = f32x4.relaxed_madd(p, r, f32x4.splat(8.3334519073e-3));
  p = f32x4.relaxed_madd(p, r, f32x4.splat(4.1665795894e-2));
  p = f32x4.relaxed_madd(p, r, f32x4.splat(1.6666665459e-1));
  p = f32x4.relaxed_madd(p, r, f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  // 2^n, built in the exponent field.
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** tanh of four lanes. */
// @ts-ignore: decorator
@inline
export function tanh4(v: v128): v128 {
  const sign = i32x4.splat(0x80000000);
  const small = f32x4.splat(0.625);
  const a = f32x4.min(f32x4.abs(v), f32x4.splat(9));
  // 1 - 2 / (e^2a + 1): exact enough once tanh is far from 0.
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(expv(f32x4.add(a, a)), f32x4.splat(1))));
  const z = f32x4.mul(v, v);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.relaxed_madd(p, z, f32x4.splat(2.06390887954e-2));
  p = f32x4.relaxed_madd(p, z, f32x4.splat(-5.37397155531e-2));
  p = f32x4.relaxed_madd(p, z, f32x4.splat(1.33314422036e-1));
  p = f32x4.relaxed_madd(p, z, f32x4.splat(-3.33332819422e-1));
  const near = f32x4.add(f32x4.mul(f32x4.mul(p, z), v), v);
  const far = v128.or(big, v128.and(v, sign));
  // NaN fails both comparisons and takes `near`, which is NaN.
  return v128.bitselect(far, near, f32x4.ge(f32x4.abs(v), small));
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

