// deno-fmt-ignore-file: AssemblyScript, kept as written (see tsne_gradient.ts).
// The two products PCA needs on large inputs: the Gram matrix X^T X (for the
// covariance) and the projection X V, over f32 rows padded to a multiple of 4.

export { alloc, reset } from "./_tsne_heap";

/**
 * Adds the upper 4-column blocks of X^T X to `out` (f32, stride x stride):
 * entries (a, b) with b >= a rounded down to a multiple of 4. `rows` must be
 * a multiple of 8 (pad with zero rows); eight rank-one updates share each
 * load and store of `out`.
 */
export function gramUpper(x: usize, rows: i32, stride: i32, out: usize): void {
  const rowBytes = <usize> stride << 2;
  for (let r = 0; r < rows; r += 8) {
    const x0 = x + <usize> r * rowBytes;
    const x1 = x0 + rowBytes, x2 = x1 + rowBytes, x3 = x2 + rowBytes;
    const x4 = x3 + rowBytes, x5 = x4 + rowBytes, x6 = x5 + rowBytes, x7 = x6 + rowBytes;
    for (let a = 0; a < stride; a++) {
      const o = <usize> a << 2;
      const s0 = f32x4.splat(load<f32>(x0 + o)), s1 = f32x4.splat(load<f32>(x1 + o));
      const s2 = f32x4.splat(load<f32>(x2 + o)), s3 = f32x4.splat(load<f32>(x3 + o));
      const s4 = f32x4.splat(load<f32>(x4 + o)), s5 = f32x4.splat(load<f32>(x5 + o));
      const s6 = f32x4.splat(load<f32>(x6 + o)), s7 = f32x4.splat(load<f32>(x7 + o));
      const g = out + <usize> a * rowBytes;
      for (let t: usize = (<usize> a & ~3) << 2; t < rowBytes; t += 16) {
        let acc = v128.load(g + t);
        acc = f32x4.add(acc, f32x4.mul(s0, v128.load(x0 + t)));
        acc = f32x4.add(acc, f32x4.mul(s1, v128.load(x1 + t)));
        acc = f32x4.add(acc, f32x4.mul(s2, v128.load(x2 + t)));
        acc = f32x4.add(acc, f32x4.mul(s3, v128.load(x3 + t)));
        acc = f32x4.add(acc, f32x4.mul(s4, v128.load(x4 + t)));
        acc = f32x4.add(acc, f32x4.mul(s5, v128.load(x5 + t)));
        acc = f32x4.add(acc, f32x4.mul(s6, v128.load(x6 + t)));
        acc = f32x4.add(acc, f32x4.mul(s7, v128.load(x7 + t)));
        v128.store(g + t, acc);
      }
    }
  }
}

/**
 * `out` (rows x kStride) = X V, with V stored as stride x kStride (kStride a
 * multiple of 4).
 */
export function project(
  x: usize,
  rows: i32,
  stride: i32,
  v: usize,
  kStride: i32,
  out: usize,
): void {
  const kBytes = <usize> kStride << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + ((<usize> r * <usize> stride) << 2);
    const o = out + <usize> r * kBytes;
    for (let t: usize = 0; t < kBytes; t += 16) v128.store(o + t, f32x4.splat(0));
    for (let a = 0; a < stride; a++) {
      const s = load<f32>(xr + (<usize> a << 2));
      if (s == 0) continue; // pixel data is mostly zeros
      const sv = f32x4.splat(s);
      const va = v + <usize> a * kBytes;
      for (let t: usize = 0; t < kBytes; t += 16) {
        v128.store(o + t, f32x4.add(v128.load(o + t), f32x4.mul(sv, v128.load(va + t))));
      }
    }
  }
}
