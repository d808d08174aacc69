// deno-fmt-ignore-file: AssemblyScript decorators (@inline) are not TypeScript; the formatter drops them.
// asc-flags: --enable relaxed-simd
// Exact k nearest neighbours by SIMD brute force, for t-SNE's affinities.
//
// Rows are f32, padded with zeros to a multiple of 4 columns. Distances come
// from |a|^2 + |b|^2 - 2 a.b over 2x4 tiles (8 dot products share 6 loads and
// fit the 16 SIMD registers) of fused multiply-adds (relaxed SIMD: 13 % faster
// on MNIST PCA-50; where the hardware has none the products round apart, so a
// near-tie for the k-th place may go the other way on another machine);
// each kept neighbour's distance is then recomputed from differences so the
// reported squared distances carry no cancellation error.

export { alloc, reset } from "./_tsne_heap";

// Candidate rows per block (see knn).
const BLOCK = 512;

/**
 * Squared norms of the first `cols` (a multiple of 4) columns of the `n` rows
 * of `x` (`stride` floats each) into `out`.
 */
export function squaredNorms(x: usize, n: i32, stride: i32, cols: i32, out: usize): void {
  for (let i = 0; i < n; i++) {
    const row = x + (<usize> (i * stride) << 2);
    let acc = f32x4.splat(0);
    for (let t = 0; t < cols; t += 4) {
      const v = v128.load(row + (<usize> t << 2));
      acc = f32x4.add(acc, f32x4.mul(v, v));
    }
    store<f32>(out + (<usize> i << 2), hsum(acc));
  }
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// A max-heap of (distance, index) pairs, k entries, root = farthest kept.
// @ts-ignore: decorator
@inline function heapPush(dist: usize, idx: usize, k: i32, d: f32, j: i32): void {
  // Replace the root, then sift down.
  let pos = 0;
  while (true) {
    const l = 2 * pos + 1;
    if (l >= k) break;
    let c = l;
    let dc = load<f32>(dist + (<usize> l << 2));
    const r = l + 1;
    if (r < k) {
      const dr = load<f32>(dist + (<usize> r << 2));
      if (dr > dc) {
        c = r;
        dc = dr;
      }
    }
    if (dc <= d) break;
    store<f32>(dist + (<usize> pos << 2), dc);
    store<i32>(idx + (<usize> pos << 2), load<i32>(idx + (<usize> c << 2)));
    pos = c;
  }
  store<f32>(dist + (<usize> pos << 2), d);
  store<i32>(idx + (<usize> pos << 2), j);
}

// @ts-ignore: decorator
@inline function offer(dist: usize, idx: usize, k: i32, d: f32, j: i32, i: i32): void {
  if (d < load<f32>(dist) && j != i) heapPush(dist, idx, k, d, j);
}

/**
 * The `k` nearest neighbours (excluding the point itself) of rows
 * `[start, end)` among all `n` rows of `x`, nearest first. Row `i`'s
 * neighbours go to `outIdx[(i - start) * k ...]` and their squared distances
 * to `outDist`. `norms` holds the squared row norms, `headNorms` those of the
 * first `head` columns (a multiple of 4): tiles whose distance over the head
 * already exceeds every kept one are not finished. Put the columns of most
 * variance first (principal axes) and most tiles stop there.
 */
export function knn(
  x: usize,
  n: i32,
  stride: i32,
  norms: usize,
  start: i32,
  end: i32,
  k: i32,
  outIdx: usize,
  outDist: usize,
  head: i32,
  headNorms: usize,
): void {
  const rowBytes = <usize> stride << 2, headBytes = <usize> head << 2;
  for (let i = start; i < end; i++) {
    const o = <usize> ((i - start) * k) << 2;
    for (let s = 0; s < k; s++) {
      store<f32>(outDist + o + (<usize> s << 2), Infinity);
      store<i32>(outIdx + o + (<usize> s << 2), -1);
    }
  }
  const n4 = n & ~3;
  // Candidates come in blocks of BLOCK rows, each block matched against every
  // row of the call while it is in cache: scanning all n rows per pair of rows
  // would stream the whole input from memory each time. Each row still sees
  // its candidates in index order, so the kept neighbours do not depend on
  // BLOCK.
  for (let jb = 0; jb < n4; jb += BLOCK) {
    const jEnd = min(jb + BLOCK, n4);
    for (let i0 = start; i0 < end; i0 += 2) {
      const pair = i0 + 1 < end;
      // An odd final row is paired with itself; the copy's results are discarded.
      const a0 = x + <usize> i0 * rowBytes;
      const a1 = pair ? a0 + rowBytes : a0;
      for (let j = jb; j < jEnd; j += 4) {
        const b0 = x + <usize> j * rowBytes;
        const b1 = b0 + rowBytes, b2 = b1 + rowBytes, b3 = b2 + rowBytes;
        let c00 = f32x4.splat(0), c01 = c00, c02 = c00, c03 = c00;
        let c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        let skip = false;
        for (let t: usize = 0, end = headBytes; ; end = rowBytes) {
          for (; t < end; t += 16) {
            const q0 = v128.load(b0 + t), q1 = v128.load(b1 + t);
            const q2 = v128.load(b2 + t), q3 = v128.load(b3 + t);
            const p0 = v128.load(a0 + t), p1 = v128.load(a1 + t);
            c00 = f32x4.relaxed_madd(p0, q0, c00);
            c01 = f32x4.relaxed_madd(p0, q1, c01);
            c02 = f32x4.relaxed_madd(p0, q2, c02);
            c03 = f32x4.relaxed_madd(p0, q3, c03);
            c10 = f32x4.relaxed_madd(p1, q0, c10);
            c11 = f32x4.relaxed_madd(p1, q1, c11);
            c12 = f32x4.relaxed_madd(p1, q2, c12);
            c13 = f32x4.relaxed_madd(p1, q3, c13);
          }
          if (end == rowBytes) break;
          // The distance over the head columns bounds the whole distance from
          // below (less a rounding margin): skip the tile if no pair can enter.
          const hb = v128.load(headNorms + (<usize> j << 2));
          if (!(mayEnter(hb, headNorms, outDist, k, start, i0, c00, c01, c02, c03) ||
            (pair && mayEnter(hb, headNorms, outDist, k, start, i0 + 1, c10, c11, c12, c13)))) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        const nb = v128.load(norms + (<usize> j << 2));
        const two = f32x4.splat(2);
        // Each row's 4 dot products, transposed into one vector per row.
        offerRow(
          outIdx,
          outDist,
          k,
          start,
          i0,
          norms,
          f32x4.sub(nb, f32x4.mul(two, reduce4(c00, c01, c02, c03))),
          j,
        );
        if (pair) {
          offerRow(
            outIdx,
            outDist,
            k,
            start,
            i0 + 1,
            norms,
            f32x4.sub(nb, f32x4.mul(two, reduce4(c10, c11, c12, c13))),
            j,
          );
        }
      }
    }
  }
  for (let i = start; i < end; i++) {
    const o = <usize> ((i - start) * k) << 2;
    for (let j = n4; j < n; j++) {
      offer(outDist + o, outIdx + o, k, exactDistance(x, stride, i, j), j, i);
    }
  }
  for (let i = start; i < end; i++) {
    const o = <usize> ((i - start) * k) << 2;
    finish(x, stride, i, k, outIdx + o, outDist + o);
  }
}

// Sums of each of 4 vectors' lanes, as one vector.
// @ts-ignore: decorator
@inline function reduce4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(
    v128.shuffle<u32>(a, b, 0, 2, 4, 6),
    v128.shuffle<u32>(a, b, 1, 3, 5, 7),
  );
  const cd = f32x4.add(
    v128.shuffle<u32>(c, d, 0, 2, 4, 6),
    v128.shuffle<u32>(c, d, 1, 3, 5, 7),
  );
  return f32x4.add(
    v128.shuffle<u32>(ab, cd, 0, 2, 4, 6),
    v128.shuffle<u32>(ab, cd, 1, 3, 5, 7),
  );
}

// Whether any of the 4 candidates whose head dot products with row `i` are
// c0..c3 may be nearer than row i's current k-th neighbour.
// @ts-ignore: decorator
@inline function mayEnter(
  hb: v128,
  headNorms: usize,
  outDist: usize,
  k: i32,
  start: i32,
  i: i32,
  c0: v128,
  c1: v128,
  c2: v128,
  c3: v128,
): bool {
  const sum = f32x4.add(hb, f32x4.splat(load<f32>(headNorms + (<usize> i << 2))));
  const lower = f32x4.sub(
    f32x4.mul(sum, f32x4.splat(<f32> (1 - 1e-4))),
    f32x4.mul(f32x4.splat(2), reduce4(c0, c1, c2, c3)),
  );
  const top = load<f32>(outDist + (<usize> ((i - start) * k) << 2));
  return i32x4.bitmask(f32x4.lt(lower, f32x4.splat(top))) != 0;
}

// Offers row `i` the 4 candidates `j..j+3` whose distances minus |x_i|^2 are `d`.
// @ts-ignore: decorator
@inline function offerRow(
  outIdx: usize,
  outDist: usize,
  k: i32,
  start: i32,
  i: i32,
  norms: usize,
  d: v128,
  j: i32,
): void {
  const o = <usize> ((i - start) * k) << 2;
  const dist = outDist + o, idx = outIdx + o;
  const full = f32x4.add(d, f32x4.splat(load<f32>(norms + (<usize> i << 2))));
  // Almost every tile is rejected here, with one compare for 4 candidates.
  if (!i32x4.bitmask(f32x4.lt(full, f32x4.splat(load<f32>(dist))))) return;
  offer(dist, idx, k, f32x4.extract_lane(full, 0), j, i);
  offer(dist, idx, k, f32x4.extract_lane(full, 1), j + 1, i);
  offer(dist, idx, k, f32x4.extract_lane(full, 2), j + 2, i);
  offer(dist, idx, k, f32x4.extract_lane(full, 3), j + 3, i);
}

// Squared distance of rows i and j from their differences.
function exactDistance(x: usize, stride: i32, i: i32, j: i32): f32 {
  const a = x + (<usize> (i * stride) << 2), b = x + (<usize> (j * stride) << 2);
  let acc = f32x4.splat(0);
  for (let t = 0; t < stride; t += 4) {
    const v = f32x4.sub(v128.load(a + (<usize> t << 2)), v128.load(b + (<usize> t << 2)));
    acc = f32x4.add(acc, f32x4.mul(v, v));
  }
  return hsum(acc);
}

// Recomputes the kept distances exactly and sorts the heap nearest first
// (ties by index, so the order does not depend on the scan).
function finish(x: usize, stride: i32, i: i32, k: i32, idx: usize, dist: usize): void {
  for (let s = 0; s < k; s++) {
    const j = load<i32>(idx + (<usize> s << 2));
    if (j >= 0) store<f32>(dist + (<usize> s << 2), exactDistance(x, stride, i, j));
  }
  for (let s = 1; s < k; s++) {
    const d = load<f32>(dist + (<usize> s << 2));
    const j = load<i32>(idx + (<usize> s << 2));
    let t = s - 1;
    while (t >= 0) {
      const dt = load<f32>(dist + (<usize> t << 2));
      const jt = load<i32>(idx + (<usize> t << 2));
      if (dt < d || (dt == d && u32(jt) <= u32(j))) break;
      store<f32>(dist + (<usize> (t + 1) << 2), dt);
      store<i32>(idx + (<usize> (t + 1) << 2), jt);
      t--;
    }
    store<f32>(dist + (<usize> (t + 1) << 2), d);
    store<i32>(idx + (<usize> (t + 1) << 2), j);
  }
}
