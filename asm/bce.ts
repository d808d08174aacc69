// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Binary cross-entropy as torch.nn.BCELoss computes it, in one pass each way
// (tfjs spends about twenty elementwise kernels on it, src/train/losses.ts):
//   value = -mean(y max(ln p, -100) + (1 - y) max(ln(1 - p), -100))
//   dL/dp = (p - y) / max(p (1 - p), 1e-12) * dL / n
// in float32 operation for operation as the op chain, the sum in float64.

import {
  held, heldBits, LN2_HI, LN2_LO, log4, LOG_P0, LOG_P1, LOG_P2, LOG_P3, LOG_P4, LOG_P5, LOG_P6, LOG_P7,
  LOG_P8, opaqueZero,
} from "./_simd_math";

/**
 * The four lanes' terms y max(ln p, -100) + (1 - y) max(ln(1 - p), -100),
 * with log4's constants and floor = -100 held by the caller. pmax, one
 * instruction where max is seven, gives max's values; a NaN log it passes on
 * as it is, where V8's max sets its sign bit, so a NaN loss may have the
 * other sign bit than before (wasm leaves a NaN's sign to the engine anyway).
 */
// @ts-ignore: decorator
@inline
function laneTerms(
  p: v128, y: v128, floor: v128,
  zero: v128, minNormal: v128, two23: v128, bias: v128, twentyThree: v128, half: v128,
  sqrtHalf: v128, one: v128, p0: v128, p1: v128, p2: v128, p3: v128, p4: v128, p5: v128, p6: v128,
  p7: v128, p8: v128, ln2Lo: v128, ln2Hi: v128, minusInf: v128, nan: v128, inf: v128,
): v128 {
  const lp = f32x4.pmax(log4(
    p, zero, minNormal, two23, bias, twentyThree, half, sqrtHalf, one,
    p0, p1, p2, p3, p4, p5, p6, p7, p8, ln2Lo, ln2Hi, minusInf, nan, inf,
  ), floor);
  const l1p = f32x4.pmax(log4(
    f32x4.sub(one, p), zero, minNormal, two23, bias, twentyThree, half, sqrtHalf, one,
    p0, p1, p2, p3, p4, p5, p6, p7, p8, ln2Lo, ln2Hi, minusInf, nan, inf,
  ), floor);
  return f32x4.add(f32x4.mul(y, lp), f32x4.mul(f32x4.sub(one, y), l1p));
}

/**
 * The sums of the terms over each block of `block` of the n values at p and
 * y (the last may be shorter), as float64s at out, out + 8, ...: fixed
 * blocks, which the host adds in order, so that the value is the same on
 * any number of kernel threads.
 */
export function bcePartials(p: usize, y: usize, out: usize, n: i32, block: i32): void {
  for (let i = 0; i < n; i += block) {
    store<f64>(out, terms(p + <usize>i * 4, y + <usize>i * 4, min(block, n - i)));
    out += 8;
  }
}

/** The sum of the terms over n values of p and y, in float64. */
function terms(p: usize, y: usize, n: i32): f64 {
  const zero = opaqueZero(n);
  const minNormal = held(1.17549435e-38, zero), two23 = held(8388608, zero), bias = heldBits(126, zero);
  const twentyThree = held(23, zero), half = held(0.5, zero), sqrtHalf = held(0.707106781186547524, zero);
  const one = held(1, zero), p0 = held(LOG_P0, zero), p1 = held(LOG_P1, zero), p2 = held(LOG_P2, zero);
  const p3 = held(LOG_P3, zero), p4 = held(LOG_P4, zero), p5 = held(LOG_P5, zero), p6 = held(LOG_P6, zero);
  const p7 = held(LOG_P7, zero), p8 = held(LOG_P8, zero), ln2Lo = held(LN2_LO, zero), ln2Hi = held(LN2_HI, zero);
  const minusInf = held(-Infinity, zero), nan = held(NaN, zero), inf = held(Infinity, zero);
  const floor = held(-100, zero);
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    const t = laneTerms(
      v128.load(p + o), v128.load(y + o), floor, zero, minNormal, two23, bias, twentyThree, half, sqrtHalf,
      one, p0, p1, p2, p3, p4, p5, p6, p7, p8, ln2Lo, ln2Hi, minusInf, nan, inf,
    );
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(t));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 0, 1)));
  }
  let sum = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (; o < <usize>n * 4; o += 4) {
    const t = laneTerms(
      f32x4.splat(load<f32>(p + o)), f32x4.splat(load<f32>(y + o)), floor, zero, minNormal, two23, bias,
      twentyThree, half, sqrtHalf, one, p0, p1, p2, p3, p4, p5, p6, p7, p8, ln2Lo, ln2Hi, minusInf, nan, inf,
    );
    sum += <f64>f32x4.extract_lane(t, 0);
  }
  return sum;
}

/**
 * Writes dL/dp for n of the `total` values (a range of them) to `grad` from
 * p, y and the scalar dL at `dy`.
 */
export function bceGrad(p: usize, y: usize, dy: usize, grad: usize, n: i32, total: i32): void {
  const scale = f32x4.splat(load<f32>(dy) / <f32>total);
  const zero = opaqueZero(n);
  const one = held(1, zero), tiny = held(1e-12, zero);
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    const pv = v128.load(p + o);
    // pmax: a NaN slope stays NaN, as with max.
    const slope = f32x4.pmax(f32x4.mul(pv, f32x4.sub(one, pv)), tiny);
    v128.store(grad + o, f32x4.mul(f32x4.div(f32x4.sub(pv, v128.load(y + o)), slope), scale));
  }
  const s = load<f32>(dy) / <f32>total;
  for (; o < <usize>n * 4; o += 4) {
    const pv = load<f32>(p + o);
    const slope = max(pv * (1 - pv), <f32>1e-12);
    store<f32>(grad + o, (pv - load<f32>(y + o)) / slope * s);
  }
}
