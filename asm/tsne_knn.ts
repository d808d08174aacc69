// deno-fmt-ignore-file: AssemblyScript decorators (@inline) are not TypeScript; the formatter drops them.
// asc-flags: --enable relaxed-simd
// Exact k nearest neighbours by SIMD brute force, for t-SNE's affinities.
//
// Distances come from |a|^2 + |b|^2 - 2 a.b, the dot products from a 4x8
// register tile as in the matrix product (asm/_gemm.ts): the candidates are
// packed once in panels of 8 (a column's 8 values adjacent), a call's rows in
// panels of 4, so a column step is 3 loads (Deno bounds-checks every load)
// for 8 fused multiply-adds (relaxed SIMD), and each accumulator holds one
// row's sums for 4 candidates. Where the hardware has no FMA the products
// round apart, so a near-tie for the k-th place may go the other way on
// another machine. Each kept neighbour's distance is then recomputed from
// differences, so the reported squared distances carry no cancellation error.

import { alloc } from "./_tsne_heap";
export { alloc, reset } from "./_tsne_heap";

// Candidates per block: a block (512 x 52 floats for PCA-50, 104 KiB) is
// matched against every row of a call while it is in cache; scanning all n
// per row group would stream the whole input from memory each time.
const BLOCK = 512;

// The input (n rows of `stride` floats, zero-padded to a multiple of 4), its
// squared row norms, those over the first `head` columns, the candidates in
// panels of 8, and room for a call's rows in panels of 4 (see `prepare`).
let x: usize = 0;
let n: i32 = 0;
let stride: i32 = 0;
let head: i32 = 0;
let norms: usize = 0;
let headNorms: usize = 0;
let candidates: usize = 0;
let rowPanels: usize = 0;

/**
 * Prepares the search among the `rows` rows of `data` (`cols` floats each, a
 * multiple of 4): norms, and the candidates packed in panels of 8. Calls to
 * {@link knn} then take up to `callRows` rows each. `headCols` (a multiple of
 * 4) is the partial-distance test's width: tiles whose distance over the
 * first `headCols` columns already exceeds every kept one are not finished.
 * Put the columns of most variance first (principal axes) and most tiles
 * stop there.
 */
export function prepare(data: usize, rows: i32, cols: i32, headCols: i32, callRows: i32): void {
  x = data;
  n = rows;
  stride = cols;
  head = headCols;
  norms = alloc(<usize> n * 4 + 32);
  headNorms = alloc(<usize> n * 4 + 32);
  squaredNorms(norms, stride);
  squaredNorms(headNorms, head);
  const n8 = n & ~7;
  candidates = alloc(<usize> n8 * stride * 4);
  for (let j0 = 0; j0 < n8; j0 += 8) {
    const panel = candidates + (<usize> j0 * stride << 2);
    for (let r = 0; r < 8; r++) {
      const row = x + (<usize> (j0 + r) * stride << 2);
      for (let t = 0; t < stride; t++) {
        store<f32>(panel + (<usize> (8 * t + r) << 2), load<f32>(row + (<usize> t << 2)));
      }
    }
  }
  rowPanels = alloc(<usize> ((callRows + 3) & ~3) * stride * 4);
}

// Squared norms of the rows' first `cols` columns into `out`.
function squaredNorms(out: usize, cols: i32): void {
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
 * `[start, end)` (at most `prepare`'s `callRows`) among all rows, nearest
 * first. Row `i`'s neighbours go to `outIdx[(i - start) * k ...]` and their
 * squared distances to `outDist`.
 */
export function knn(start: i32, end: i32, k: i32, outIdx: usize, outDist: usize): void {
  for (let i = start; i < end; i++) {
    const o = <usize> ((i - start) * k) << 2;
    for (let s = 0; s < k; s++) {
      store<f32>(outDist + o + (<usize> s << 2), Infinity);
      store<i32>(outIdx + o + (<usize> s << 2), -1);
    }
  }
  // The rows in panels of 4, a column's 4 values adjacent; a last panel
  // short of rows repeats the last row, whose copies' results are discarded.
  const groups = (end - start + 3) >> 2;
  for (let g = 0; g < groups; g++) {
    const panel = rowPanels + (<usize> (g * stride) << 4);
    for (let r = 0; r < 4; r++) {
      const row = x + (<usize> (min(start + 4 * g + r, end - 1) * stride) << 2);
      for (let t = 0; t < stride; t++) {
        store<f32>(panel + (<usize> (4 * t + r) << 2), load<f32>(row + (<usize> t << 2)));
      }
    }
  }
  const n8 = n & ~7;
  const two = f32x4.splat(2);
  // Each row still sees its candidates in index order, block after block, so
  // the kept neighbours do not depend on BLOCK.
  for (let jb = 0; jb < n8; jb += BLOCK) {
    const jEnd = min(jb + BLOCK, n8);
    for (let g = 0; g < groups; g++) {
      const i0 = start + 4 * g;
      const rows = min(4, end - i0);
      const a = rowPanels + (<usize> (g * stride) << 4);
      for (let j = jb; j < jEnd; j += 8) {
        let b = candidates + (<usize> (j * stride) << 2);
        let p = a;
        let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        let skip = false;
        for (let t = 0, limit = head; ; limit = stride) {
          for (; t < limit; t++) {
            const b0 = v128.load(b), b1 = v128.load(b, 16);
            const av = v128.load(p);
            let s = i32x4.shuffle(av, av, 0, 0, 0, 0);
            c0 = f32x4.relaxed_madd(s, b0, c0);
            c1 = f32x4.relaxed_madd(s, b1, c1);
            s = i32x4.shuffle(av, av, 1, 1, 1, 1);
            c2 = f32x4.relaxed_madd(s, b0, c2);
            c3 = f32x4.relaxed_madd(s, b1, c3);
            s = i32x4.shuffle(av, av, 2, 2, 2, 2);
            c4 = f32x4.relaxed_madd(s, b0, c4);
            c5 = f32x4.relaxed_madd(s, b1, c5);
            s = i32x4.shuffle(av, av, 3, 3, 3, 3);
            c6 = f32x4.relaxed_madd(s, b0, c6);
            c7 = f32x4.relaxed_madd(s, b1, c7);
            p += 16;
            b += 32;
          }
          if (limit == stride) break;
          // The distance over the head columns bounds the whole distance from
          // below (less a rounding margin): skip the tile if no pair can enter.
          const h0 = v128.load(headNorms + (<usize> j << 2));
          const h1 = v128.load(headNorms + (<usize> j << 2), 16);
          const last = end - 1;
          if (!(mayEnter(h0, h1, min(i0, last), start, k, outDist, c0, c1) ||
            mayEnter(h0, h1, min(i0 + 1, last), start, k, outDist, c2, c3) ||
            mayEnter(h0, h1, min(i0 + 2, last), start, k, outDist, c4, c5) ||
            mayEnter(h0, h1, min(i0 + 3, last), start, k, outDist, c6, c7))) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        const n0 = v128.load(norms + (<usize> j << 2)), n1 = v128.load(norms + (<usize> j << 2), 16);
        offerRow(outIdx, outDist, k, start, i0, f32x4.sub(n0, f32x4.mul(two, c0)), j);
        offerRow(outIdx, outDist, k, start, i0, f32x4.sub(n1, f32x4.mul(two, c1)), j + 4);
        if (rows > 1) {
          offerRow(outIdx, outDist, k, start, i0 + 1, f32x4.sub(n0, f32x4.mul(two, c2)), j);
          offerRow(outIdx, outDist, k, start, i0 + 1, f32x4.sub(n1, f32x4.mul(two, c3)), j + 4);
        }
        if (rows > 2) {
          offerRow(outIdx, outDist, k, start, i0 + 2, f32x4.sub(n0, f32x4.mul(two, c4)), j);
          offerRow(outIdx, outDist, k, start, i0 + 2, f32x4.sub(n1, f32x4.mul(two, c5)), j + 4);
        }
        if (rows > 3) {
          offerRow(outIdx, outDist, k, start, i0 + 3, f32x4.sub(n0, f32x4.mul(two, c6)), j);
          offerRow(outIdx, outDist, k, start, i0 + 3, f32x4.sub(n1, f32x4.mul(two, c7)), j + 4);
        }
      }
    }
  }
  for (let i = start; i < end; i++) {
    const o = <usize> ((i - start) * k) << 2;
    for (let j = n8; j < n; j++) offer(outDist + o, outIdx + o, k, exactDistance(i, j), j, i);
    finish(i, k, outIdx + o, outDist + o);
  }
}

// Whether any of the 8 candidates whose head dot products with row `i` are
// c0, c1 (head norms h0, h1) may be nearer than row i's current k-th neighbour.
// @ts-ignore: decorator
@inline function mayEnter(
  h0: v128,
  h1: v128,
  i: i32,
  start: i32,
  k: i32,
  outDist: usize,
  c0: v128,
  c1: v128,
): bool {
  const hi = f32x4.splat(load<f32>(headNorms + (<usize> i << 2)));
  const margin = f32x4.splat(<f32> (1 - 1e-4)), two = f32x4.splat(2);
  const top = f32x4.splat(load<f32>(outDist + (<usize> ((i - start) * k) << 2)));
  const l0 = f32x4.sub(f32x4.mul(f32x4.add(h0, hi), margin), f32x4.mul(two, c0));
  const l1 = f32x4.sub(f32x4.mul(f32x4.add(h1, hi), margin), f32x4.mul(two, c1));
  return v128.any_true(v128.or(f32x4.lt(l0, top), f32x4.lt(l1, top)));
}

// Offers row `i` the 4 candidates `j..j+3` whose distances minus |x_i|^2 are `d`.
// @ts-ignore: decorator
@inline function offerRow(outIdx: usize, outDist: usize, k: i32, start: i32, i: i32, d: v128, j: i32): void {
  const o = <usize> ((i - start) * k) << 2;
  const dist = outDist + o, idx = outIdx + o;
  const full = f32x4.add(d, f32x4.splat(load<f32>(norms + (<usize> i << 2))));
  // Most candidates are rejected here, with one compare for 4.
  if (!i32x4.bitmask(f32x4.lt(full, f32x4.splat(load<f32>(dist))))) return;
  offer(dist, idx, k, f32x4.extract_lane(full, 0), j, i);
  offer(dist, idx, k, f32x4.extract_lane(full, 1), j + 1, i);
  offer(dist, idx, k, f32x4.extract_lane(full, 2), j + 2, i);
  offer(dist, idx, k, f32x4.extract_lane(full, 3), j + 3, i);
}

// Squared distance of rows i and j from their differences.
function exactDistance(i: i32, j: i32): f32 {
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
function finish(i: i32, k: i32, idx: usize, dist: usize): void {
  for (let s = 0; s < k; s++) {
    const j = load<i32>(idx + (<usize> s << 2));
    if (j >= 0) store<f32>(dist + (<usize> s << 2), exactDistance(i, j));
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
