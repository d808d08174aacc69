// deno-fmt-ignore-file: AssemblyScript decorators (@inline) are not TypeScript; the formatter drops them.
// asc-flags: --enable relaxed-simd
// Exact k nearest neighbours by SIMD brute force, for t-SNE's affinities.
//
// Each pair of rows is measured once, for both rows. The rows come in blocks,
// in an order the caller chooses; a unit of work is a pair of blocks I <= J
// (see `measure`), whose distances are offered to both blocks' rows. Threads
// take units in any order, each into lists of its own, merged at the end
// (see `merge`). The lists order by (distance, index), a total order, so the
// kept neighbours do not depend on which thread measured which pair, nor in
// what order.
//
// Each row keeps its k nearest so far as a sorted list, and candidates that
// beat the list's last entry wait in a buffer of BUFFER; a full buffer is
// sorted and merged into the list. A (distance, index) pair is one u64 key,
// the distance's bits above the index (distances are clamped at 0, and the
// bits of non-negative floats order as the floats), so sorting and merging
// compare integers and choose without branches: cheaper per candidate than
// sifting each one into a binary heap, whose branches mispredict at every
// level.
//
// Distances come from |a|^2 + |b|^2 - 2 a.b, the dot products from a 4x8
// register tile as in the matrix product (asm/_gemm.ts): the rows are packed
// once in panels of 8 (a column's 8 values adjacent) for the candidate side
// and in panels of 4 for the row side, so a column step is 3 loads (Deno
// bounds-checks every load) for 8 fused multiply-adds (relaxed SIMD). Where
// the hardware has no FMA the products round apart, so a near-tie for the
// k-th place may go the other way on another machine. Each kept neighbour's
// distance is then recomputed from differences (see `finish`), so the
// reported squared distances carry no cancellation error.

import { alloc } from "./_tsne_heap";
export { alloc, reset } from "./_tsne_heap";

// Rows per block (see `prepare`).
let block: i32 = 0;
// Candidates a row's buffer holds before it is merged into the row's list.
const BUFFER = 32;

// The input (n rows of `stride` floats, zero-padded to a multiple of 4) and
// the order in which the search takes its rows (`order[s]` = input row of
// position s). By position: the rows padded to a multiple of 8 (`np`), whose
// extra rows have NaN norms, so that no distance to them passes a compare;
// squared norms; the rows in panels of 8 and of 4; each row's sorted list of
// k keys and its buffer (with the buffer's count), and the lists' last
// distances in one array (`tops`); room for sorting and merging.
let x: usize = 0;
let order: usize = 0;
let n: i32 = 0;
let np: i32 = 0;
let stride: i32 = 0;
let k: i32 = 0;
let norms: usize = 0;
let panels8: usize = 0;
let panels4: usize = 0;
let lists: usize = 0;
let buffers: usize = 0;
let bufCount: usize = 0;
let tops: usize = 0;
let spare: usize = 0;
let merged: usize = 0;
let scratch: usize = 0;

// The key of an empty entry: (Infinity, index 2^32 - 1), after every real one.
const EMPTY: u64 = 0x7F800000FFFFFFFF;

/**
 * Prepares the search for each row's `neighbors` nearest among the `rows`
 * rows of `data` (`cols` floats each, a multiple of 4), taking them in the
 * order `rowOrder` (i32 x rows) in blocks of `blockRows` (a multiple of 8):
 * norms, packed panels, and empty lists. Rows near each other in space should
 * be near each other in the order, so that the first pairs measured (see
 * `measure`) fill the lists with near neighbours and most later tiles are
 * rejected by one compare. Returns the number of blocks.
 */
export function prepare(
  data: usize,
  rows: i32,
  cols: i32,
  neighbors: i32,
  rowOrder: usize,
  blockRows: i32,
): i32 {
  x = data;
  n = rows;
  np = (n + 7) & ~7;
  stride = cols;
  k = neighbors;
  order = rowOrder;
  block = blockRows;
  norms = alloc(<usize> np << 2);
  for (let s = 0; s < np; s++) {
    store<f32>(norms + (<usize> s << 2), s < n ? squaredNorm(rowAt(s)) : NaN);
  }
  panels8 = pack(8);
  panels4 = pack(4);
  lists = alloc(<usize> np * k << 3);
  for (let s = 0; s < np * k; s++) store<u64>(lists + (<usize> s << 3), EMPTY);
  buffers = alloc(<usize> np * BUFFER << 3);
  bufCount = alloc(<usize> np << 2);
  memory.fill(bufCount, 0, <usize> np << 2);
  tops = alloc(<usize> np << 2);
  for (let s = 0; s < np; s++) store<f32>(tops + (<usize> s << 2), Infinity);
  spare = alloc(<usize> max(k, BUFFER) << 3);
  merged = alloc(<usize> k << 3);
  scratch = alloc(8 << 2);
  return (np + block - 1) / block;
}

// The input row at position s.
// @ts-ignore: decorator
@inline function rowAt(s: i32): i32 {
  return load<i32>(order + (<usize> s << 2));
}

// The rows by position in panels of `width` (a column's `width` values
// adjacent). The padding rows' values are left as they are: their NaN norms
// void every distance they enter.
function pack(width: i32): usize {
  const out = alloc(<usize> np * stride << 2);
  for (let s = 0; s < n; s++) {
    const row = x + (<usize> (rowAt(s) * stride) << 2);
    const panel = out + (<usize> ((s - s % width) * stride) << 2);
    for (let t = 0; t < stride; t++) {
      store<f32>(panel + (<usize> (width * t + s % width) << 2), load<f32>(row + (<usize> t << 2)));
    }
  }
  return out;
}

function squaredNorm(i: i32): f32 {
  const row = x + (<usize> (i * stride) << 2);
  let acc = f32x4.splat(0);
  for (let t = 0; t < stride; t += 4) {
    const v = v128.load(row + (<usize> t << 2));
    acc = f32x4.add(acc, f32x4.mul(v, v));
  }
  return hsum(acc);
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

// The key of input row j at squared distance d.
// @ts-ignore: decorator
@inline function keyOf(d: f32, j: i32): u64 {
  return (<u64> reinterpret<u32>(max(d, 0)) << 32) | <u64> <u32> j;
}

// Offers input row j at squared distance d to position i: into its buffer
// if it comes before the list's last entry.
// @ts-ignore: decorator
@inline function offer(i: i32, d: f32, j: i32): void {
  const key = keyOf(d, j);
  if (key >= load<u64>(lists + (<usize> (i * k + k - 1) << 3))) return;
  const at = bufCount + (<usize> i << 2), c = load<i32>(at);
  store<u64>(buffers + (<usize> (i * BUFFER + c) << 3), key);
  store<i32>(at, c + 1);
  if (c + 1 == BUFFER) flush(i);
}

// Sorts position i's buffer and merges it into its list.
function flush(i: i32): void {
  const at = bufCount + (<usize> i << 2);
  const count = load<i32>(at);
  mergeIntoList(i, sortKeys(buffers + (<usize> (i * BUFFER) << 3), count), count);
  store<i32>(at, 0);
}

// Sorts `count` keys (at most k or BUFFER) by bottom-up merging between
// `keys` and `spare`; returns where the sorted keys ended up.
function sortKeys(keys: usize, count: i32): usize {
  let from = keys, to = spare;
  for (let width = 1; width < count; width <<= 1) {
    for (let lo = 0; lo < count; lo += 2 * width) {
      const mid = min(lo + width, count), hi = min(lo + 2 * width, count);
      let a = lo, b = mid;
      for (let s = lo; s < hi; s++) {
        // Past its end a run reads its neighbour's keys, never chosen.
        const x = load<u64>(from + (<usize> a << 3)), y = load<u64>(from + (<usize> b << 3));
        const takeB = <i32> (b < hi) & (<i32> (a >= mid) | <i32> (y < x));
        store<u64>(to + (<usize> s << 3), select<u64>(y, x, takeB != 0));
        b += takeB;
        a += takeB ^ 1;
      }
    }
    const t = from;
    from = to;
    to = t;
  }
  return from;
}

// Merges the `count` sorted keys at `run` into position i's list, keeping the
// first k. A key in both (a pair another thread's list shares) is kept once.
function mergeIntoList(i: i32, run: usize, count: i32): void {
  const list = lists + (<usize> (i * k) << 3);
  let a = 0, b = 0;
  for (let s = 0; s < k; s++) {
    const x = load<u64>(list + (<usize> a << 3)), y = load<u64>(run + (<usize> b << 3));
    const more = <i32> (b < count);
    const takeB = more & <i32> (y < x);
    store<u64>(merged + (<usize> s << 3), select<u64>(y, x, takeB != 0));
    b += takeB | (more & <i32> (y == x));
    a += takeB ^ 1;
  }
  memory.copy(list, merged, <usize> k << 3);
  const last = <u32> (load<u64>(list + (<usize> (k - 1) << 3)) >> 32);
  store<f32>(tops + (<usize> i << 2), reinterpret<f32>(last));
}

/**
 * Measures every pair of a row of block `bi` and a row of block `bj`
 * (`bi <= bj`; in a block with itself, each pair once) and offers each
 * distance to both rows. Blocks with themselves first, then with their
 * neighbours in the order, fill the lists soonest. Without `offers`, the
 * distances are computed and dropped: the work that threads share best,
 * which the thread calibration times.
 */
export function measure(bi: i32, bj: i32, offers: bool): void {
  const iEnd = min((bi + 1) * block, np), jEnd = min((bj + 1) * block, np);
  const minusTwo = f32x4.splat(-2);
  for (let i0 = bi * block; i0 < iEnd; i0 += 4) {
    const a = panels4 + (<usize> (i0 * stride) << 2);
    const ni = v128.load(norms + (<usize> i0 << 2));
    const n0 = i32x4.shuffle(ni, ni, 0, 0, 0, 0), n1 = i32x4.shuffle(ni, ni, 1, 1, 1, 1);
    const n2 = i32x4.shuffle(ni, ni, 2, 2, 2, 2), n3 = i32x4.shuffle(ni, ni, 3, 3, 3, 3);
    // With itself, only the panels that hold a later row than one of these.
    for (let j = bi == bj ? i0 & ~7 : bj * block; j < jEnd; j += 8) {
      let b = panels8 + (<usize> (j * stride) << 2);
      let p = a;
      let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
      for (let t = 0; t < stride; t++) {
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
      const nj0 = v128.load(norms + (<usize> j << 2)), nj1 = v128.load(norms + (<usize> j << 2), 16);
      c0 = f32x4.add(f32x4.relaxed_madd(c0, minusTwo, nj0), n0);
      c1 = f32x4.add(f32x4.relaxed_madd(c1, minusTwo, nj1), n0);
      c2 = f32x4.add(f32x4.relaxed_madd(c2, minusTwo, nj0), n1);
      c3 = f32x4.add(f32x4.relaxed_madd(c3, minusTwo, nj1), n1);
      c4 = f32x4.add(f32x4.relaxed_madd(c4, minusTwo, nj0), n2);
      c5 = f32x4.add(f32x4.relaxed_madd(c5, minusTwo, nj1), n2);
      c6 = f32x4.add(f32x4.relaxed_madd(c6, minusTwo, nj0), n3);
      c7 = f32x4.add(f32x4.relaxed_madd(c7, minusTwo, nj1), n3);
      // Most tiles end here: no distance reaches its row's list or its column's.
      const rt = v128.load(tops + (<usize> i0 << 2));
      const ct0 = v128.load(tops + (<usize> j << 2)), ct1 = v128.load(tops + (<usize> j << 2), 16);
      let s = i32x4.shuffle(rt, rt, 0, 0, 0, 0);
      let hit = v128.or(f32x4.le(c0, s), f32x4.le(c1, s));
      s = i32x4.shuffle(rt, rt, 1, 1, 1, 1);
      hit = v128.or(hit, v128.or(f32x4.le(c2, s), f32x4.le(c3, s)));
      s = i32x4.shuffle(rt, rt, 2, 2, 2, 2);
      hit = v128.or(hit, v128.or(f32x4.le(c4, s), f32x4.le(c5, s)));
      s = i32x4.shuffle(rt, rt, 3, 3, 3, 3);
      hit = v128.or(hit, v128.or(f32x4.le(c6, s), f32x4.le(c7, s)));
      hit = v128.or(hit, v128.or(f32x4.le(c0, ct0), f32x4.le(c1, ct1)));
      hit = v128.or(hit, v128.or(f32x4.le(c2, ct0), f32x4.le(c3, ct1)));
      hit = v128.or(hit, v128.or(f32x4.le(c4, ct0), f32x4.le(c5, ct1)));
      hit = v128.or(hit, v128.or(f32x4.le(c6, ct0), f32x4.le(c7, ct1)));
      if (!v128.any_true(hit) || !offers) continue;
      const diagonal = bi == bj;
      offerRow(i0, j, c0, c1, i32x4.shuffle(rt, rt, 0, 0, 0, 0), ct0, ct1, diagonal);
      offerRow(i0 + 1, j, c2, c3, i32x4.shuffle(rt, rt, 1, 1, 1, 1), ct0, ct1, diagonal);
      offerRow(i0 + 2, j, c4, c5, i32x4.shuffle(rt, rt, 2, 2, 2, 2), ct0, ct1, diagonal);
      offerRow(i0 + 3, j, c6, c7, i32x4.shuffle(rt, rt, 3, 3, 3, 3), ct0, ct1, diagonal);
    }
  }
}

// Offers position i's distances to positions j0..j0+7 (`lo`, `hi`) to i
// where they reach its list's last distance (`top`, as it was before this
// tile) and to those positions where they reach theirs (`ct0`, `ct1`);
// `offer` decides. With the block itself, only positions after i.
// @ts-ignore: decorator
@inline function offerRow(
  i: i32,
  j0: i32,
  lo: v128,
  hi: v128,
  top: v128,
  ct0: v128,
  ct1: v128,
  diagonal: bool,
): void {
  let rows = i32x4.bitmask(f32x4.le(lo, top)) | (i32x4.bitmask(f32x4.le(hi, top)) << 4);
  let cols = i32x4.bitmask(f32x4.le(lo, ct0)) | (i32x4.bitmask(f32x4.le(hi, ct1)) << 4);
  if (diagonal && i >= j0) {
    const later = ~((2 << (i - j0)) - 1);
    rows &= later;
    cols &= later;
  }
  if ((rows | cols) == 0) return;
  v128.store(scratch, lo);
  v128.store(scratch, hi, 16);
  // NaN (a padding row) passes neither compare.
  for (; rows != 0; rows &= rows - 1) {
    const c = ctz(rows);
    offer(i, load<f32>(scratch + (<usize> c << 2)), rowAt(j0 + c));
  }
  const input = rowAt(i);
  for (; cols != 0; cols &= cols - 1) {
    const c = ctz(cols);
    offer(j0 + c, load<f32>(scratch + (<usize> c << 2)), input);
  }
}

/** Merges the buffers of positions `[from, to)` into their lists. */
export function flushRows(from: i32, to: i32): void {
  for (let i = from; i < min(to, n); i++) if (load<i32>(bufCount + (<usize> i << 2)) > 0) flush(i);
}

/** Address of the lists (k keys per position, see `keyOf`; `finish` rewrites them). */
export function listKeys(): usize {
  return lists;
}

/**
 * Merges another thread's lists for positions `[from, to)` (k keys per
 * position, from position `from`, at `keys`) into this one's.
 */
export function merge(keys: usize, from: i32, to: i32): void {
  for (let i = from; i < to; i++) mergeIntoList(i, keys + (<usize> ((i - from) * k) << 3), k);
}

/**
 * Recomputes the kept distances of positions `[from, to)` from differences
 * and sorts each list again (ties by index). Each position's 8k bytes then
 * hold its k input indices (i32), then their squared distances (f32).
 */
export function finish(from: i32, to: i32): void {
  for (let i = from; i < to; i++) {
    const list = lists + (<usize> (i * k) << 3), input = rowAt(i);
    for (let s = 0; s < k; s++) {
      const j = <i32> load<u64>(list + (<usize> s << 3));
      store<u64>(merged + (<usize> s << 3), keyOf(exactDistance(input, j), j));
    }
    const sorted = sortKeys(merged, k);
    for (let s = 0; s < k; s++) {
      const key = load<u64>(sorted + (<usize> s << 3));
      store<i32>(list + (<usize> s << 2), <i32> key);
      store<u32>(list + (<usize> (k + s) << 2), <u32> (key >> 32));
    }
  }
}

// Squared distance of input rows i and j from their differences.
function exactDistance(i: i32, j: i32): f32 {
  const a = x + (<usize> (i * stride) << 2), b = x + (<usize> (j * stride) << 2);
  let acc = f32x4.splat(0);
  for (let t = 0; t < stride; t += 4) {
    const v = f32x4.sub(v128.load(a + (<usize> t << 2)), v128.load(b + (<usize> t << 2)));
    acc = f32x4.add(acc, f32x4.mul(v, v));
  }
  return hsum(acc);
}
