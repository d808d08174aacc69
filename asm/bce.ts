// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Binary cross-entropy as torch.nn.BCELoss computes it, in one pass each way
// (tfjs spends about twenty elementwise kernels on it, src/train/losses.ts):
//   value = -mean(y max(ln p, -100) + (1 - y) max(ln(1 - p), -100))
//   dL/dp = (p - y) / max(p (1 - p), 1e-12) * dL / n
// in float32 operation for operation as the op chain, the sum in float64.

import { log4 } from "./_simd_math";

/** The four lanes' terms y max(ln p, -100) + (1 - y) max(ln(1 - p), -100). */
// @ts-ignore: decorator
@inline
function terms(p: v128, y: v128): v128 {
  const one = f32x4.splat(1), floor = f32x4.splat(-100);
  const lp = f32x4.max(log4(p), floor);
  const l1p = f32x4.max(log4(f32x4.sub(one, p)), floor);
  return f32x4.add(f32x4.mul(y, lp), f32x4.mul(f32x4.sub(one, y), l1p));
}

/** Writes -mean of the terms over n values of p and y to `out` (one float). */
export function bce(p: usize, y: usize, out: usize, n: i32): void {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    const t = terms(v128.load(p + o), v128.load(y + o));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(t));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 0, 1)));
  }
  let sum = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (; o < <usize>n * 4; o += 4) {
    sum += <f64>f32x4.extract_lane(terms(f32x4.splat(load<f32>(p + o)), f32x4.splat(load<f32>(y + o))), 0);
  }
  store<f32>(out, <f32>(-sum / <f64>n));
}

/** Writes dL/dp (n floats) to `grad` from p, y and the scalar dL at `dy`. */
export function bceGrad(p: usize, y: usize, dy: usize, grad: usize, n: i32): void {
  const scale = f32x4.splat(load<f32>(dy) / <f32>n);
  const one = f32x4.splat(1), tiny = f32x4.splat(1e-12);
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    const pv = v128.load(p + o);
    const slope = f32x4.max(f32x4.mul(pv, f32x4.sub(one, pv)), tiny);
    v128.store(grad + o, f32x4.mul(f32x4.div(f32x4.sub(pv, v128.load(y + o)), slope), scale));
  }
  const s = load<f32>(dy) / <f32>n;
  for (; o < <usize>n * 4; o += 4) {
    const pv = load<f32>(p + o);
    const slope = max(pv * (1 - pv), <f32>1e-12);
    store<f32>(grad + o, (pv - load<f32>(y + o)) / slope * s);
  }
}
