// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Mean squared error in one pass each way (tfjs spends a Sub, a Square and a
// Mean on the value and four elementwise kernels on its gradient):
//   value = mean((p - y)^2)
//   dL/dp = (p - y) 2 fl(dL / n)
// The squares in float32 as tfjs's Square makes them; their sum in float64,
// each lane into a total of its own, in one fixed order: the value is the same
// on every run (bit-exact resumption needs that) and within rounding of the
// exact mean, where tfjs-backend-wasm's Mean sums in float32 (2e-5 off at
// 128 x 784 values). The gradient rounds as tfjs's chain does: autodiff's, bit
// for bit.

/** Writes the mean of (p - y)^2 over n values to `out` (one float). */
export function mse(p: usize, y: usize, out: usize, n: i32): void {
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    const d = f32x4.sub(v128.load(p + o), v128.load(y + o));
    const t = f32x4.mul(d, d);
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(t));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(t, t, 2, 3, 0, 1)));
  }
  let sum = f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1) + f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1);
  for (; o < <usize>n * 4; o += 4) {
    const d = load<f32>(p + o) - load<f32>(y + o);
    sum += <f64>(d * d);
  }
  store<f32>(out, <f32>(sum / <f64>n));
}

/** Writes dL/dp (n floats) to `grad` from p, y and the scalar dL at `dy`. */
export function mseGrad(p: usize, y: usize, dy: usize, grad: usize, n: i32): void {
  const s = load<f32>(dy) / <f32>n;
  const scale = f32x4.splat(s), two = f32x4.splat(2);
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    const d = f32x4.sub(v128.load(p + o), v128.load(y + o));
    v128.store(grad + o, f32x4.mul(f32x4.mul(d, two), scale));
  }
  for (; o < <usize>n * 4; o += 4) {
    store<f32>(grad + o, (load<f32>(p + o) - load<f32>(y + o)) * 2 * s);
  }
}
