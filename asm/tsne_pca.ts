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

/**
 * Adds x x^T over the nonzeros of each of the `rows` rows of `x` (f32,
 * `dims` each) to the upper triangle of `out` (f64, dims x dims), in row
 * order: the covariance of sparse rows (MNIST's pixels are 19 % nonzero)
 * without centring them first. `work` holds 3 x dims words.
 */
export function sparseGramUpper(x: usize, rows: i32, dims: i32, out: usize, work: usize): void {
  const at = work, value = work + (<usize> dims << 2);
  for (let r = 0; r < rows; r++) {
    const row = x + (<usize> (r * dims) << 2);
    let m = 0;
    for (let a = 0; a < dims; a++) {
      const s = load<f32>(row + (<usize> a << 2));
      if (s != 0) {
        store<i32>(at + (<usize> m << 2), a);
        store<f64>(value + (<usize> m << 3), <f64> s);
        m++;
      }
    }
    for (let p = 0; p < m; p++) {
      const o = out + (<usize> (load<i32>(at + (<usize> p << 2)) * dims) << 3);
      const v = load<f64>(value + (<usize> p << 3));
      for (let q = p; q < m; q++) {
        const cell = o + (<usize> load<i32>(at + (<usize> q << 2)) << 3);
        store<f64>(cell, load<f64>(cell) + v * load<f64>(value + (<usize> q << 3)));
      }
    }
  }
}

/**
 * `out` (d x b, f64) = C V for C (d x d) and V (d x b), b even: each entry
 * summed over C's columns in order (zeros skipped), as a plain loop would.
 * Eight vectors of two columns stay in registers while C's row is read.
 */
export function multiplyF64(c: usize, v: usize, d: i32, b: i32, out: usize): void {
  const bBytes = <usize> b << 3;
  for (let a = 0; a < d; a++) {
    const o = out + <usize> a * bBytes;
    const ca = c + (<usize> (a * d) << 3);
    let j: usize = 0;
    for (; j + 128 <= bBytes; j += 128) {
      let c0 = f64x2.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
      for (let t = 0; t < d; t++) {
        const s = load<f64>(ca + (<usize> t << 3));
        if (s == 0) continue;
        const sv = f64x2.splat(s);
        const vt = v + <usize> t * bBytes + j;
        c0 = f64x2.add(c0, f64x2.mul(sv, v128.load(vt)));
        c1 = f64x2.add(c1, f64x2.mul(sv, v128.load(vt, 16)));
        c2 = f64x2.add(c2, f64x2.mul(sv, v128.load(vt, 32)));
        c3 = f64x2.add(c3, f64x2.mul(sv, v128.load(vt, 48)));
        c4 = f64x2.add(c4, f64x2.mul(sv, v128.load(vt, 64)));
        c5 = f64x2.add(c5, f64x2.mul(sv, v128.load(vt, 80)));
        c6 = f64x2.add(c6, f64x2.mul(sv, v128.load(vt, 96)));
        c7 = f64x2.add(c7, f64x2.mul(sv, v128.load(vt, 112)));
      }
      v128.store(o + j, c0);
      v128.store(o + j, c1, 16);
      v128.store(o + j, c2, 32);
      v128.store(o + j, c3, 48);
      v128.store(o + j, c4, 64);
      v128.store(o + j, c5, 80);
      v128.store(o + j, c6, 96);
      v128.store(o + j, c7, 112);
    }
    for (; j < bBytes; j += 16) {
      let acc = f64x2.splat(0);
      for (let t = 0; t < d; t++) {
        const s = load<f64>(ca + (<usize> t << 3));
        if (s != 0) acc = f64x2.add(acc, f64x2.mul(f64x2.splat(s), v128.load(v + <usize> t * bBytes + j)));
      }
      v128.store(o + j, acc);
    }
  }
}
