// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Tanh and Log over float32 arrays, four lanes at a time: the transcendental
// functions of the training losses and output layers (tfjs-wasm evaluates them
// one scalar libm call per element; the approximations are in _simd_math.ts);
// Step, ReLU's gradient mask, and ReLU's gradient itself.

import { log4, tanh4 } from "./_simd_math";

/** The last n % 4 elements, through lanes of one vector (no reads past the end). */
// @ts-ignore: decorator
@inline
function tail(x: usize, y: usize, rem: i32, fn: i32): void {
  let v = f32x4.splat(1);
  v = f32x4.replace_lane(v, 0, load<f32>(x));
  if (rem > 1) v = f32x4.replace_lane(v, 1, load<f32>(x, 4));
  if (rem > 2) v = f32x4.replace_lane(v, 2, load<f32>(x, 8));
  const r = fn == TANH ? tanh4(v) : log4(v);
  store<f32>(y, f32x4.extract_lane(r, 0));
  if (rem > 1) store<f32>(y, f32x4.extract_lane(r, 1), 4);
  if (rem > 2) store<f32>(y, f32x4.extract_lane(r, 2), 8);
}

const TANH: i32 = 0;
const LOG: i32 = 1;

/** y[i] = tanh(x[i]) for i < n. */
export function tanh(x: usize, y: usize, n: i32): void {
  const end = x + <usize>(n & ~3) * 4;
  for (; x < end; x += 16, y += 16) v128.store(y, tanh4(v128.load(x)));
  if (n & 3) tail(x, y, n & 3, TANH);
}

/** y[i] = ln(x[i]) for i < n: -inf at 0, NaN below 0, +inf at +inf. */
export function log(x: usize, y: usize, n: i32): void {
  const end = x + <usize>(n & ~3) * 4;
  for (; x < end; x += 16, y += 16) v128.store(y, log4(v128.load(x)));
  if (n & 3) tail(x, y, n & 3, LOG);
}

/** tfjs's Step of four lanes: 1 above 0, NaN at NaN (kept quiet by the + 0), else `alpha`. */
// @ts-ignore: decorator
@inline
function step4(v: v128, alpha: v128): v128 {
  const zero = f32x4.splat(0);
  return v128.bitselect(f32x4.add(v, zero), v128.bitselect(f32x4.splat(1), alpha, f32x4.gt(v, zero)), f32x4.ne(v, v));
}

/** tfjs's Step of one value. */
// @ts-ignore: decorator
@inline
function step1(v: f32, alpha: f32): f32 {
  return v != v ? v : v > 0 ? 1 : alpha;
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
