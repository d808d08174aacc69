// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Mean squared error in one pass each way (tfjs spends a Sub, a Square and a
// Mean on the value and four elementwise kernels on its gradient):
//   value = mean((p - y)^2)
//   dL/dp = (p - y) 2 fl(dL / n)
// The squares in float32 as tfjs's Square makes them; their sum in float64,
// by fixed blocks of values (each lane into a total of its own), which the
// host adds in order: the value is the same on every run and on any number of
// kernel threads (bit-exact resumption needs that) and within rounding of the
// exact mean, where tfjs-backend-wasm's Mean sums in float32 (2e-5 off at
// 128 x 784 values). The gradient rounds as tfjs's chain does: autodiff's, bit
// for bit.

/** The sum of (p - y)^2 over n values, in float64. */
function squares(p: usize, y: usize, n: i32): f64 {
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
  return sum;
}

/**
 * The sums of (p - y)^2 over each block of `block` of the n values at p and
 * y (the last may be shorter), as float64s at out, out + 8, ...
 */
export function msePartials(p: usize, y: usize, out: usize, n: i32, block: i32): void {
  for (let i = 0; i < n; i += block) {
    store<f64>(out, squares(p + <usize>i * 4, y + <usize>i * 4, min(block, n - i)));
    out += 8;
  }
}

/**
 * Writes dL/dp for n of the `total` values (a range of them) to `grad` from
 * p, y and the scalar dL at `dy`.
 */
export function mseGrad(p: usize, y: usize, dy: usize, grad: usize, n: i32, total: i32): void {
  const s = load<f32>(dy) / <f32>total;
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
