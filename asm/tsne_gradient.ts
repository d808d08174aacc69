// deno-fmt-ignore-file: AssemblyScript decorators (@inline) are not TypeScript; the formatter drops them.
// asc-flags: --enable relaxed-simd
// The t-SNE gradient: a Barnes-Hut quadtree in flat arrays, built or
// refitted each iteration (see `updateTree`), repulsive forces from it (or
// exactly, O(N^2)), attractive forces over the sparse affinities P, and the
// gains/momentum update.
//
// Repulsion walks the tree against itself (see `walk`): a source cell is
// accepted for a whole target cell when the usual Barnes-Hut test
// width / distance < theta holds from the target's bounding box, so every
// point is approximated at least as well as by a walk of its own; the points
// of each leaf then sum their shared interaction list with SIMD, two points
// and four entries at a time. Widths are those of the points' bounding boxes,
// tighter than the cells'.
//
// Where a node's points lie within a small radius of its centre (a fraction
// of the kernel's unit length scale: early in the optimisation, most of the
// embedding), the walk stops there and its points share one Taylor
// expansion of the potential of their whole list (see `expansion`): one pass
// over the list instead of one per point.
//
// The force sums use fused multiply-adds (relaxed SIMD, as the training
// kernels do): 12 % faster repulsion on MNIST's 70,000 points. A machine
// without FMA rounds the products apart, so embeddings may differ between
// machines in the last bits; never between thread counts.
//
// The gradient g_i = exaggeration * sum_j p_ij w_ij (y_i - y_j)
//                    - (1 / Z) sum_j w_ij^2 (y_i - y_j),
// with w_ij = 1 / (1 + |y_i - y_j|^2) and Z = sum_{i != j} w_ij, is the
// KL divergence's gradient divided by 4 (openTSNE's convention).

import { held, opaqueZero } from "./_simd_math";
export { alloc, reset } from "./_tsne_heap";

let n: i32 = 0;
let leafSize: i32 = 8;
// Positions, interleaved x, y (f32 x 2n); the host reads and writes them.
let y: usize = 0;
// Sparse P in CSR: rowPtr (i32 x n+1), cols (i32 x nnz), vals (f32 x nnz).
let rowPtr: usize = 0;
let cols: usize = 0;
let vals: usize = 0;
// Spares of the same sizes, for relabelling (see `reorder`).
let rowPtr2: usize = 0;
let cols2: usize = 0;
let vals2: usize = 0;
// Optimiser state (f32 x 2n each).
let gains: usize = 0;
let update: usize = 0;
// Morton codes and their sort (u32 / i32 x n, two of each for the radix sort).
let codes: usize = 0;
let codes2: usize = 0;
let perm: usize = 0;
let perm2: usize = 0;
// Positions in Morton order, as separate x and y arrays (f32 x n).
let sx: usize = 0;
let sy: usize = 0;
// Nodes (capacity 2n + 1): centre of mass, mass, bounding box of the points
// and its squared larger side (the Barnes-Hut "width": tighter than the cell's),
// first child (-1 for a leaf), child count, point range [lo, hi) in Morton order.
let ncx: usize = 0;
let ncy: usize = 0;
let nmass: usize = 0;
let nx0: usize = 0;
let ny0: usize = 0;
let nx1: usize = 0;
let ny1: usize = 0;
let nw2: usize = 0;
let nchild: usize = 0;
let ncount: usize = 0;
let nlo: usize = 0;
let nhi: usize = 0;
let nodeCount: i32 = 0;
// Leaves in Morton order (i32 x n).
let leaves: usize = 0;
let leafCount: i32 = 0;
// Candidate sources of the dual walk: each of its at most 18 nested
// segments holds distinct nodes (18 x (2n + 1) words). Also the radix counts.
let cand: usize = 0;
// Interaction list (f32 x capacity, three arrays).
let lx: usize = 0;
let ly: usize = 0;
let lm: usize = 0;

// @ts-ignore: decorator
@inline function f32At(base: usize, i: i32): f32 {
  return load<f32>(base + (<usize> i << 2));
}

// @ts-ignore: decorator
@inline function setF32(base: usize, i: i32, v: f32): void {
  store<f32>(base + (<usize> i << 2), v);
}

// @ts-ignore: decorator
@inline function i32At(base: usize, i: i32): i32 {
  return load<i32>(base + (<usize> i << 2));
}

// @ts-ignore: decorator
@inline function setI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + (<usize> i << 2), v);
}

function words(count: i32): usize {
  return __alloc(<usize> max(count, 1) << 2);
}

/**
 * Allocates the state for `points` points and `nnz` affinities; groups and
 * leaves hold at most `leaf` points. Returns the address of the positions.
 */
export function setup(points: i32, nnz: i32, leaf: i32): usize {
  n = points;
  leafSize = leaf;
  treeAge = 0;
  y = words(2 * n);
  rowPtr = words(n + 1);
  cols = words(nnz);
  vals = words(nnz);
  rowPtr2 = words(n + 1);
  cols2 = words(nnz);
  vals2 = words(nnz);
  gains = words(2 * n);
  update = words(2 * n);
  codes = words(n);
  codes2 = words(n);
  perm = words(n);
  perm2 = words(n);
  sx = words(n);
  sy = words(n);
  const nodes = 2 * n + 1;
  ncx = words(nodes);
  ncy = words(nodes);
  nmass = words(nodes);
  nx0 = words(nodes);
  ny0 = words(nodes);
  nx1 = words(nodes);
  ny1 = words(nodes);
  nw2 = words(nodes);
  nchild = words(nodes);
  ncount = words(nodes);
  nlo = words(nodes);
  nhi = words(nodes);
  leaves = words(n);
  cand = words(18 * nodes + 256);
  // A list holds cells and single points; each node adds one or its points
  // (n + nodes >= 2n, so `reorder` can also use lx as scratch).
  const list = n + nodes + 4;
  lx = words(list);
  ly = words(list);
  lm = words(list);
  resetOptimizer();
  return y;
}

/** Address of P's row pointers (i32 x n+1). */
export function pRowPtr(): usize {
  return rowPtr;
}
/** Address of P's column indices (i32 x nnz). */
export function pCols(): usize {
  return cols;
}
/** Address of P's values (f32 x nnz). */
export function pVals(): usize {
  return vals;
}

/** Gains back to 1 and the momentum buffer to 0 (as at the start of each phase). */
export function resetOptimizer(): void {
  for (let t = 0; t < 2 * n; t++) {
    setF32(gains, t, 1);
    setF32(update, t, 0);
  }
}

// Spreads the low 16 bits of v to the even bits.
// @ts-ignore: decorator
@inline function setBox(node: i32, x0: f32, y0: f32, x1: f32, y1: f32): void {
  setF32(nx0, node, x0);
  setF32(ny0, node, y0);
  setF32(nx1, node, x1);
  setF32(ny1, node, y1);
  const w = max(x1 - x0, y1 - y0);
  setF32(nw2, node, w * w);
}

// The end of the run of codes in [start, hi) in the same quadrant as
// codes[start] at the bit pair `shift` (binary search: codes are sorted).
function runEnd(start: i32, hi: i32, shift: u32): i32 {
  const q = (load<u32>(codes + (<usize> start << 2)) >> shift) & 3;
  let a = start + 1, b = hi;
  while (a < b) {
    const m = (a + b) >>> 1;
    // Selects, not a branch: which half is taken is unpredictable.
    const same = ((load<u32>(codes + (<usize> m << 2)) >> shift) & 3) == q;
    a = select<i32>(m + 1, a, same);
    b = select<i32>(b, m, same);
  }
  return a;
}

// @ts-ignore: decorator
@inline function spread(v: u32): u32 {
  v = (v | (v << 8)) & 0x00ff00ff;
  v = (v | (v << 4)) & 0x0f0f0f0f;
  v = (v | (v << 2)) & 0x33333333;
  return (v | (v << 1)) & 0x55555555;
}

// Builds the quadtree of the current positions (for the host, see `updateTree`).
function buildTree(): void {
  // The box two points at a time: lanes (x, y, x, y).
  let lo4 = f32x4.splat(Infinity), hi4 = f32x4.splat(-Infinity);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const v = v128.load(y + (<usize> i << 3));
    lo4 = f32x4.pmin(v, lo4);
    hi4 = f32x4.pmax(v, hi4);
  }
  if (i < n) {
    const v = v128.load64_zero(y + (<usize> i << 3));
    lo4 = f32x4.pmin(v128.shuffle<f32>(v, v, 0, 1, 0, 1), lo4);
    hi4 = f32x4.pmax(v128.shuffle<f32>(v, v, 0, 1, 0, 1), hi4);
  }
  const minX = <f64> min(f32x4.extract_lane(lo4, 0), f32x4.extract_lane(lo4, 2));
  const minY = <f64> min(f32x4.extract_lane(lo4, 1), f32x4.extract_lane(lo4, 3));
  const maxX = <f64> max(f32x4.extract_lane(hi4, 0), f32x4.extract_lane(hi4, 2));
  const maxY = <f64> max(f32x4.extract_lane(hi4, 1), f32x4.extract_lane(hi4, 3));
  let side = max(maxX - minX, maxY - minY);
  if (!(side > 0)) side = 1;
  const scale = 65536 / side;
  for (let i = 0; i < n; i++) {
    const qx = <u32> min((<f64> f32At(y, 2 * i) - minX) * scale, 65535);
    const qy = <u32> min((<f64> f32At(y, 2 * i + 1) - minY) * scale, 65535);
    store<u32>(codes + (<usize> i << 2), spread(qx) | (spread(qy) << 1));
    setI32(perm, i, i);
  }
  radixSort();
  gatherSorted();
  nodeCount = 1;
  leafCount = 0;
  buildNode(0, 0, n);
  builtSpread = treeSpread();
  treeAge = 1;
}

// The positions in the tree's Morton order (perm) into sx and sy.
function gatherSorted(): void {
  for (let s = 0; s < n; s++) {
    const i = i32At(perm, s);
    setF32(sx, s, f32At(y, 2 * i));
    setF32(sy, s, f32At(y, 2 * i + 1));
  }
}

// Stable LSD radix sort of (codes, perm) by code, 8 bits a pass. One read
// counts all four digits; a digit that is the same in every code is skipped.
function radixSort(): void {
  const counts = cand; // 4 x 256 words, free while no walk is running
  memory.fill(counts, 0, 4096);
  for (let i = 0; i < n; i++) {
    const code = load<u32>(codes + (<usize> i << 2));
    bump(counts, code & 255);
    bump(counts + 1024, (code >> 8) & 255);
    bump(counts + 2048, (code >> 16) & 255);
    bump(counts + 3072, code >> 24);
  }
  for (let pass = 0; pass < 4; pass++) {
    const count = counts + (<usize> pass << 10), shift = <u32> (8 * pass);
    let total = 0, same = false;
    for (let b = 0; b < 256; b++) {
      const c = i32At(count, b);
      same = same || c == n;
      setI32(count, b, total);
      total += c;
    }
    if (same) continue;
    for (let i = 0; i < n; i++) {
      const code = load<u32>(codes + (<usize> i << 2));
      const b = <i32> ((code >> shift) & 255);
      const to = i32At(count, b);
      setI32(count, b, to + 1);
      store<u32>(codes2 + (<usize> to << 2), code);
      setI32(perm2, to, i32At(perm, i));
    }
    let t = codes;
    codes = codes2;
    codes2 = t;
    t = perm;
    perm = perm2;
    perm2 = t;
  }
}

// @ts-ignore: decorator
@inline function bump(count: usize, b: u32): void {
  const at = count + (<usize> b << 2);
  store<i32>(at, load<i32>(at) + 1);
}

// Node `node` over points [lo, hi) of the Morton order. Splitting at the
// highest bit pair where the range's codes differ skips the chains of
// single-child cells, so a tree never has more than 2n - 1 nodes.
function buildNode(node: i32, lo: i32, hi: i32): void {
  setI32(nlo, node, lo);
  setI32(nhi, node, hi);
  const first = load<u32>(codes + (<usize> lo << 2));
  const last = load<u32>(codes + (<usize> (hi - 1) << 2));
  const diff = first ^ last;
  // The bit pair where the range splits (the cell holding it skips the levels above).
  const level = diff ? <i32> (31 - clz(diff)) >> 1 : -1;
  if (hi - lo <= leafSize || diff == 0) {
    setI32(nchild, node, -1);
    setI32(ncount, node, 0);
    setI32(leaves, leafCount++, node);
    summarizeLeaf(node);
    return;
  }
  const shift = <u32> (2 * level);
  // Children: the runs of equal quadrant in [lo, hi), in order; at most four,
  // so their ends are found once and kept in locals.
  const e1 = runEnd(lo, hi, shift);
  const e2 = e1 < hi ? runEnd(e1, hi, shift) : hi;
  const e3 = e2 < hi ? runEnd(e2, hi, shift) : hi;
  const count = 1 + <i32> (e1 < hi) + <i32> (e2 < hi) + <i32> (e3 < hi);
  const firstChild = nodeCount;
  nodeCount += count;
  setI32(nchild, node, firstChild);
  setI32(ncount, node, count);
  for (let c = 0, s = lo; c < count; c++) {
    const e = c == 0 ? e1 : c == 1 ? e2 : c == 2 ? e3 : hi;
    buildNode(firstChild + c, s, e);
    s = e;
  }
  summarizeParent(node);
}

// A leaf's centre of mass, mass and box from its points.
function summarizeLeaf(node: i32): void {
  const lo = i32At(nlo, node), hi = i32At(nhi, node);
  let cx: f64 = 0, cy: f64 = 0;
  let x0: f32 = Infinity, y0: f32 = Infinity, x1: f32 = -Infinity, y1: f32 = -Infinity;
  for (let s = lo; s < hi; s++) {
    const px = f32At(sx, s), py = f32At(sy, s);
    cx += px;
    cy += py;
    // Compares, not min/max: wasm's NaN-propagating min costs several instructions.
    if (px < x0) x0 = px;
    if (px > x1) x1 = px;
    if (py < y0) y0 = py;
    if (py > y1) y1 = py;
  }
  setBox(node, x0, y0, x1, y1);
  setF32(ncx, node, <f32> (cx / (hi - lo)));
  setF32(ncy, node, <f32> (cy / (hi - lo)));
  setF32(nmass, node, <f32> (hi - lo));
}

// An inner node's centre of mass, mass and box from its children's.
function summarizeParent(node: i32): void {
  const first = i32At(nchild, node), count = i32At(ncount, node);
  let cx: f64 = 0, cy: f64 = 0;
  let x0: f32 = Infinity, y0: f32 = Infinity, x1: f32 = -Infinity, y1: f32 = -Infinity;
  for (let child = first; child < first + count; child++) {
    const mass = <f64> f32At(nmass, child);
    cx += mass * f32At(ncx, child);
    cy += mass * f32At(ncy, child);
    x0 = min(x0, f32At(nx0, child));
    y0 = min(y0, f32At(ny0, child));
    x1 = max(x1, f32At(nx1, child));
    y1 = max(y1, f32At(ny1, child));
  }
  const points = i32At(nhi, node) - i32At(nlo, node);
  setBox(node, x0, y0, x1, y1);
  setF32(ncx, node, <f32> (cx / points));
  setF32(ncy, node, <f32> (cy / points));
  setF32(nmass, node, <f32> points);
}

// Evaluations the tree has served since it was built (0: it must be built:
// there is none yet, or the points were relabelled), and its spread then.
let treeAge: i32 = 0;
let builtSpread: f64 = 0;

/**
 * Brings the tree up to the current positions for an evaluation: built anew
 * every `rebuildEvery` calls, refitted in between (see `refitTree`) unless
 * the refitted tree's spread exceeds `maxGrowth` times the built one's (the
 * points have moved too far from their cells for the walk to stay cheap).
 * Every thread decides alike from the same positions. Returns 1 if it built.
 */
export function updateTree(rebuildEvery: i32, maxGrowth: f64): i32 {
  if (treeAge > 0 && treeAge < rebuildEvery) {
    refitTree();
    if (treeSpread() <= maxGrowth * builtSpread) {
      treeAge++;
      return 0;
    }
  }
  buildTree();
  return 1;
}

// Updates the last tree to the current positions without rebuilding it: the
// same nodes over the same points, their centres of mass and boxes
// recomputed. The Barnes-Hut test and the expansions read only those, so the
// forces keep their accuracy; only the walk's cost grows as the points drift
// from their cells.
function refitTree(): void {
  gatherSorted();
  // Children come after their parent, so one backward pass sees them first.
  for (let node = nodeCount - 1; node >= 0; node--) {
    if (i32At(nchild, node) < 0) summarizeLeaf(node);
    else summarizeParent(node);
  }
}

// The sum of all nodes' squared widths over the root's: how tightly the
// tree's cells hold their points, whatever the embedding's scale. A refitted
// tree whose points have moved apart has a larger spread than a new one.
function treeSpread(): f64 {
  let sum: f64 = 0;
  for (let node = 0; node < nodeCount; node++) sum += f32At(nw2, node);
  return sum / max(<f64> f32At(nw2, 0), 1e-30);
}

/**
 * Relabels the points in the Morton order of their current positions, so
 * that points near each other in the embedding (and so most pairs of P) are
 * near each other in memory: positions, optimiser state and P are permuted.
 * Returns the address of the order (i32 x n): new point s was point order[s].
 */
export function reorder(): usize {
  buildTree();
  // perm2 = inverse: old index -> new index.
  for (let s = 0; s < n; s++) setI32(perm2, i32At(perm, s), s);
  permutePairs(y);
  permutePairs(gains);
  permutePairs(update);
  setI32(rowPtr2, 0, 0);
  let w = 0;
  for (let s = 0; s < n; s++) {
    const i = i32At(perm, s);
    for (let e = i32At(rowPtr, i), end = i32At(rowPtr, i + 1); e < end; e++) {
      setI32(cols2, w, i32At(perm2, i32At(cols, e)));
      setF32(vals2, w++, f32At(vals, e));
    }
    setI32(rowPtr2, s + 1, w);
  }
  let t = rowPtr;
  rowPtr = rowPtr2;
  rowPtr2 = t;
  t = cols;
  cols = cols2;
  cols2 = t;
  t = vals;
  vals = vals2;
  vals2 = t;
  treeAge = 0; // the tree holds the old labels
  return perm;
}

// Permutes the (x, y) pairs of `a` (f32 x 2n) into the new order, through lx.
function permutePairs(a: usize): void {
  for (let s = 0; s < n; s++) {
    const i = i32At(perm, s);
    setF32(lx, 2 * s, f32At(a, 2 * i));
    setF32(lx, 2 * s + 1, f32At(a, 2 * i + 1));
  }
  memory.copy(a, lx, <usize> n << 3);
}

/**
 * Repulsive forces sum_j w_ij^2 (y_i - y_j) of the points in part `part` of
 * `parts` (ranges of the Morton order) into `out` (f32 x 2n, by point; other
 * points untouched), by Barnes-Hut with `theta` on the last tree; nodes
 * whose points are all within `radius` of their box's centre (0: none) take
 * their forces from one expansion. Returns those points' share of Z,
 * sum_{j != i} w_ij.
 */
export function repulse(theta: f32, radius: f32, part: i32, parts: i32, out: usize): f64 {
  from = <i32> ((<i64> n * part) / parts);
  to = <i32> ((<i64> n * (part + 1)) / parts);
  theta2 = theta * theta;
  expansion2 = radius * radius;
  forces = out;
  z = 0;
  listLen = 0;
  setI32(cand, 0, 0);
  candTop = 1;
  walk(0, 0, 1);
  return z;
}

// The dual walk's state: the part's Morton range, theta^2, the squared
// expansion radius, the output, the Z sum, the interaction list length and
// the candidate stack top.
let from: i32 = 0;
let to: i32 = 0;
let theta2: f32 = 0;
let expansion2: f32 = 0;
let forces: usize = 0;
let z: f64 = 0;
let listLen: i32 = 0;
let candTop: i32 = 0;

// Walks target node `t` with the source nodes cand[cs, ce) still to be judged
// for it. A source far enough from t's whole box (width / distance < theta)
// joins the interaction list, which t's points all share; a near leaf joins
// point by point; other near sources are opened for t's children. So each
// test is made once for the largest target it can serve, and every point is
// approximated at least as well as by a walk of its own. At a leaf, or at a
// node within the expansion radius, the rest are opened until all are
// judged, and its points sum the list (or its expansion).
function walk(t: i32, cs: i32, ce: i32): void {
  const lo = i32At(nlo, t), hi = i32At(nhi, t);
  if (hi <= from || lo >= to) return;
  const x0 = f32At(nx0, t), y0 = f32At(ny0, t), x1 = f32At(nx1, t), y1 = f32At(ny1, t);
  const expand = <f32> 0.25 * ((x1 - x0) * (x1 - x0) + (y1 - y0) * (y1 - y0)) < expansion2;
  // Like a leaf, a node served by one expansion belongs to the part holding its first point.
  if (expand && lo < from) return;
  const listStart = listLen, segment = candTop;
  for (let c = cs; c < ce; c++) judge(i32At(cand, c), x0, y0, x1, y1);
  const first = i32At(nchild, t);
  if (first >= 0 && !expand) {
    const end = candTop;
    for (let k = 0, count = i32At(ncount, t); k < count; k++) walk(first + k, segment, end);
  } else if (lo >= from) {
    for (let c = segment; c < candTop; c++) judge(i32At(cand, c), x0, y0, x1, y1);
    // Massless padding to a multiple of 4, past the end so the list itself is unchanged.
    const len = (listLen + 3) & ~3;
    for (let e = listLen; e < len; e++) {
      setF32(lx, e, 0);
      setF32(ly, e, 0);
      setF32(lm, e, 0);
    }
    if (expand) expansion(lo, hi, len, (x0 + x1) * <f32> 0.5, (y0 + y1) * <f32> 0.5);
    else {
      let s = lo;
      for (; s + 1 < hi; s += 2) z += evaluatePair(s, len, forces) - 2; // minus w_ii = 1 each
      if (s < hi) z += evaluate(f32At(sx, s), f32At(sy, s), len, forces, i32At(perm, s)) - 1;
    }
  }
  listLen = listStart;
  candTop = segment;
}

// Accepts source `c` for the box [x0, x1] x [y0, y1], adds a near leaf's
// points, or pushes a near node's children as candidates.
// @ts-ignore: decorator
@inline function judge(c: i32, x0: f32, y0: f32, x1: f32, y1: f32): void {
  const cx = f32At(ncx, c), cy = f32At(ncy, c);
  const dx = max(max(x0 - cx, cx - x1), 0);
  const dy = max(max(y0 - cy, cy - y1), 0);
  if (f32At(nw2, c) < theta2 * (dx * dx + dy * dy)) {
    setF32(lx, listLen, cx);
    setF32(ly, listLen, cy);
    setF32(lm, listLen, f32At(nmass, c));
    listLen++;
    return;
  }
  const first = i32At(nchild, c);
  if (first < 0) {
    for (let s = i32At(nlo, c), e = i32At(nhi, c); s < e; s++) {
      setF32(lx, listLen, f32At(sx, s));
      setF32(ly, listLen, f32At(sy, s));
      setF32(lm, listLen, 1);
      listLen++;
    }
  } else {
    for (let k = 0, count = i32At(ncount, c); k < count; k++) setI32(cand, candTop++, first + k);
  }
}

// Sums the list's forces on (px, py) into out[2i], out[2i+1]; returns sum m w.
// @ts-ignore: decorator
@inline function evaluate(px: f32, py: f32, len: i32, out: usize, i: i32): f64 {
  const x4 = f32x4.splat(px), y4 = f32x4.splat(py), one = held(1, opaqueZero(len));
  let fx = f32x4.splat(0), fy = fx, q = fx;
  for (let t: usize = 0, end = <usize> len << 2; t < end; t += 16) {
    const dx = f32x4.sub(x4, v128.load(lx + t));
    const dy = f32x4.sub(y4, v128.load(ly + t));
    const w = f32x4.div(one, f32x4.relaxed_madd(dx, dx, f32x4.relaxed_madd(dy, dy, one)));
    const mw = f32x4.mul(v128.load(lm + t), w);
    q = f32x4.add(q, mw);
    const mw2 = f32x4.mul(mw, w);
    fx = f32x4.relaxed_madd(mw2, dx, fx);
    fy = f32x4.relaxed_madd(mw2, dy, fy);
  }
  setF32(out, 2 * i, hsum(fx));
  setF32(out, 2 * i + 1, hsum(fy));
  return <f64> hsum(q);
}

// `evaluate` for the points s and s + 1 of the Morton order, sharing the list's loads.
// @ts-ignore: decorator
@inline function evaluatePair(s: i32, len: i32, out: usize): f64 {
  const ax = f32x4.splat(f32At(sx, s)), ay = f32x4.splat(f32At(sy, s));
  const bx = f32x4.splat(f32At(sx, s + 1)), by = f32x4.splat(f32At(sy, s + 1));
  const one = held(1, opaqueZero(len));
  let fax = f32x4.splat(0), fay = fax, qa = fax, fbx = fax, fby = fax, qb = fax;
  for (let t: usize = 0, end = <usize> len << 2; t < end; t += 16) {
    const x = v128.load(lx + t), y = v128.load(ly + t), m = v128.load(lm + t);
    const adx = f32x4.sub(ax, x), ady = f32x4.sub(ay, y);
    const bdx = f32x4.sub(bx, x), bdy = f32x4.sub(by, y);
    const wa = f32x4.div(one, f32x4.relaxed_madd(adx, adx, f32x4.relaxed_madd(ady, ady, one)));
    const wb = f32x4.div(one, f32x4.relaxed_madd(bdx, bdx, f32x4.relaxed_madd(bdy, bdy, one)));
    const mwa = f32x4.mul(m, wa), mwb = f32x4.mul(m, wb);
    qa = f32x4.add(qa, mwa);
    qb = f32x4.add(qb, mwb);
    const mwa2 = f32x4.mul(mwa, wa), mwb2 = f32x4.mul(mwb, wb);
    fax = f32x4.relaxed_madd(mwa2, adx, fax);
    fay = f32x4.relaxed_madd(mwa2, ady, fay);
    fbx = f32x4.relaxed_madd(mwb2, bdx, fbx);
    fby = f32x4.relaxed_madd(mwb2, bdy, fby);
  }
  const a = i32At(perm, s), b = i32At(perm, s + 1);
  setF32(out, 2 * a, hsum(fax));
  setF32(out, 2 * a + 1, hsum(fay));
  setF32(out, 2 * b, hsum(fbx));
  setF32(out, 2 * b + 1, hsum(fby));
  return <f64> hsum(qa) + <f64> hsum(qb);
}

// The forces on the points [lo, hi) of a node of radius < expansionRadius
// from its list [0, len), through one third-order Taylor expansion about the
// node's centre (tx, ty) of Phi(p) = sum m w(p - c), whose gradient gives the
// force sum m w^2 (p - c) = -grad Phi / 2. Along any line, w = 1 / (1 + r^2)
// has its poles at distance sqrt(1 + D^2) from an entry's distance D, so
// for a point within rho of the centre each entry's series falls off as
// (rho / sqrt(1 + D^2))^k <= rho^k, the node's own points and near points
// too: the neglected terms are of order rho^4 in the potential and rho^3 in
// the force, relative to that entry's.
function expansion(lo: i32, hi: i32, len: i32, tx: f32, ty: f32): void {
  const zero = opaqueZero(len);
  const tx4 = f32x4.splat(tx), ty4 = f32x4.splat(ty), one = held(1, zero);
  const m2 = held(-2, zero), e8 = held(8, zero), m48 = held(-48, zero), three = held(3, zero);
  let a0 = f32x4.splat(0), ax = a0, ay = a0, bxx = a0, bxy = a0, byy = a0;
  let cxxx = a0, cxxy = a0, cxyy = a0, cyyy = a0;
  for (let t: usize = 0, end = <usize> len << 2; t < end; t += 16) {
    const rx = f32x4.sub(tx4, v128.load(lx + t)), ry = f32x4.sub(ty4, v128.load(ly + t));
    const w = f32x4.div(one, f32x4.relaxed_madd(rx, rx, f32x4.relaxed_madd(ry, ry, one)));
    const mw = f32x4.mul(v128.load(lm + t), w), mw2 = f32x4.mul(mw, w);
    const g = f32x4.mul(m2, mw2);
    const h = f32x4.mul(e8, f32x4.mul(mw2, w));
    const c = f32x4.mul(m48, f32x4.mul(mw2, f32x4.mul(w, w)));
    a0 = f32x4.add(a0, mw);
    ax = f32x4.relaxed_madd(g, rx, ax);
    ay = f32x4.relaxed_madd(g, ry, ay);
    const hx = f32x4.mul(h, rx), hy = f32x4.mul(h, ry);
    bxx = f32x4.add(bxx, f32x4.relaxed_madd(hx, rx, g));
    bxy = f32x4.relaxed_madd(hx, ry, bxy);
    byy = f32x4.add(byy, f32x4.relaxed_madd(hy, ry, g));
    const cx2 = f32x4.mul(c, f32x4.mul(rx, rx)), cy2 = f32x4.mul(c, f32x4.mul(ry, ry));
    cxxx = f32x4.add(cxxx, f32x4.mul(rx, f32x4.relaxed_madd(three, h, cx2)));
    cxxy = f32x4.add(cxxy, f32x4.mul(ry, f32x4.add(h, cx2)));
    cxyy = f32x4.add(cxyy, f32x4.mul(rx, f32x4.add(h, cy2)));
    cyyy = f32x4.add(cyyy, f32x4.mul(ry, f32x4.relaxed_madd(three, h, cy2)));
  }
  const A0 = hsum(a0), AX = hsum(ax), AY = hsum(ay), BXX = hsum(bxx), BXY = hsum(bxy), BYY = hsum(byy);
  const CXXX = hsum(cxxx), CXXY = hsum(cxxy), CXYY = hsum(cxyy), CYYY = hsum(cyyy);
  for (let s = lo; s < hi; s++) {
    const i = i32At(perm, s);
    const u = f32At(sx, s) - tx, v = f32At(sy, s) - ty;
    const uu = u * u, uv = u * v, vv = v * v;
    const gx = AX + BXX * u + BXY * v + <f32> 0.5 * (CXXX * uu + <f32> 2 * CXXY * uv + CXYY * vv);
    const gy = AY + BXY * u + BYY * v + <f32> 0.5 * (CXXY * uu + <f32> 2 * CXYY * uv + CYYY * vv);
    const phi = A0 + AX * u + AY * v + <f32> 0.5 * (BXX * uu + <f32> 2 * BXY * uv + BYY * vv) +
      (CXXX * uu * u + <f32> 3 * CXXY * uu * v + <f32> 3 * CXYY * u * vv + CYYY * vv * v) / <f32> 6;
    setF32(forces, 2 * i, <f32> -0.5 * gx);
    setF32(forces, 2 * i + 1, <f32> -0.5 * gy);
    z += <f64> phi - 1; // minus w_ii = 1
  }
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/**
 * Exact repulsive forces of the points in part `part` of `parts` (ranges of
 * point indices) into `out`, O(n^2); returns their share of Z.
 */
export function repulseExact(part: i32, parts: i32, out: usize): f64 {
  const from = <i32> ((<i64> n * part) / parts), to = <i32> ((<i64> n * (part + 1)) / parts);
  let len = 0;
  for (; len < n; len++) {
    setF32(lx, len, f32At(y, 2 * len));
    setF32(ly, len, f32At(y, 2 * len + 1));
    setF32(lm, len, 1);
  }
  for (; len & 3; len++) {
    setF32(lx, len, 0);
    setF32(ly, len, 0);
    setF32(lm, len, 0);
  }
  let z: f64 = 0;
  for (let i = from; i < to; i++) {
    z += evaluate(f32At(y, 2 * i), f32At(y, 2 * i + 1), len, out, i) - 1;
  }
  return z;
}

/**
 * Attractive forces sum_j p_ij w_ij (y_i - y_j) of points [from, to) into
 * `out` (f32 x 2n). With `withKl`, returns sum_ij p_ij log(1 + |y_i - y_j|^2)
 * over those rows (the KL divergence is sum p log p + this + log Z).
 */
export function attract(from: i32, to: i32, out: usize, withKl: bool): f64 {
  let kl: f64 = 0;
  const one = held(1, opaqueZero(to));
  for (let i = from; i < to; i++) {
    const start = i32At(rowPtr, i), end = i32At(rowPtr, i + 1);
    const px = f32At(y, 2 * i), py = f32At(y, 2 * i + 1);
    const xi = f32x4.splat(px), yi = f32x4.splat(py);
    let vx = f32x4.splat(0), vy = vx;
    let e = start;
    // Four neighbours a vector: their (x, y) pairs gathered two by two, then
    // split into x and y lanes, so one division serves four weights.
    for (; e + 3 < end; e += 4) {
      let a = v128.load64_zero(y + (<usize> i32At(cols, e) << 3));
      a = v128.load64_lane(y + (<usize> i32At(cols, e + 1) << 3), a, 1);
      let b = v128.load64_zero(y + (<usize> i32At(cols, e + 2) << 3));
      b = v128.load64_lane(y + (<usize> i32At(cols, e + 3) << 3), b, 1);
      const dx = f32x4.sub(xi, v128.shuffle<f32>(a, b, 0, 2, 4, 6));
      const dy = f32x4.sub(yi, v128.shuffle<f32>(a, b, 1, 3, 5, 7));
      const q = f32x4.relaxed_madd(dx, dx, f32x4.relaxed_madd(dy, dy, one));
      const pw = f32x4.div(v128.load(vals + (<usize> e << 2)), q);
      vx = f32x4.relaxed_madd(pw, dx, vx);
      vy = f32x4.relaxed_madd(pw, dy, vy);
    }
    let fx = hsum(vx), fy = hsum(vy);
    for (; e < end; e++) {
      const j = i32At(cols, e);
      const dx = px - f32At(y, 2 * j), dy = py - f32At(y, 2 * j + 1);
      const pw = f32At(vals, e) / (1 + dx * dx + dy * dy);
      fx += pw * dx;
      fy += pw * dy;
    }
    setF32(out, 2 * i, fx);
    setF32(out, 2 * i + 1, fy);
    if (withKl) {
      for (e = start; e < end; e++) {
        const j = i32At(cols, e);
        const dx = px - f32At(y, 2 * j), dy = py - f32At(y, 2 * j + 1);
        kl += <f64> (f32At(vals, e) * Mathf.log(1 + dx * dx + dy * dy));
      }
    }
  }
  return kl;
}

/**
 * One gradient-descent step with gains (sklearn's rule: +0.2 where the
 * gradient changes sign against the last update, x0.8 elsewhere, at least
 * `minGain`) and momentum. The gradient is
 * `exaggeration * attr - rep / z`. Returns its squared norm.
 */
export function step(
  attr: usize,
  rep: usize,
  z: f64,
  exaggeration: f32,
  learningRate: f32,
  momentum: f32,
  minGain: f32,
): f64 {
  const invZ = <f32> (1 / z);
  // Four values a vector, each rounded as one at a time would be; the norm
  // is summed in f64 two lanes at a time (it is only reported).
  const ex = f32x4.splat(exaggeration), iz = f32x4.splat(invZ), zero = f32x4.splat(0);
  const up = f32x4.splat(0.2), down = f32x4.splat(0.8), floor = f32x4.splat(minGain);
  const mom = f32x4.splat(momentum), rate = f32x4.splat(learningRate);
  let n0 = f64x2.splat(0), n1 = n0;
  const vectors = <usize> (2 * n) & ~3;
  for (let t: usize = 0, end = vectors << 2; t < end; t += 16) {
    const g = f32x4.sub(f32x4.mul(ex, v128.load(attr + t)), f32x4.mul(v128.load(rep + t), iz));
    let u = v128.load(update + t);
    let gain = v128.load(gains + t);
    gain = v128.bitselect(f32x4.add(gain, up), f32x4.mul(gain, down), f32x4.lt(f32x4.mul(u, g), zero));
    gain = f32x4.max(gain, floor);
    u = f32x4.sub(f32x4.mul(mom, u), f32x4.mul(f32x4.mul(rate, gain), g));
    v128.store(gains + t, gain);
    v128.store(update + t, u);
    v128.store(y + t, f32x4.add(v128.load(y + t), u));
    const g0 = f64x2.promote_low_f32x4(g), g1 = f64x2.promote_low_f32x4(v128.shuffle<f32>(g, g, 2, 3, 0, 1));
    n0 = f64x2.add(n0, f64x2.mul(g0, g0));
    n1 = f64x2.add(n1, f64x2.mul(g1, g1));
  }
  const sum = f64x2.add(n0, n1);
  let norm = f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
  for (let t = <i32> vectors; t < 2 * n; t++) {
    const g = exaggeration * f32At(attr, t) - f32At(rep, t) * invZ;
    let u = f32At(update, t);
    let gain = f32At(gains, t);
    gain = u * g < 0 ? gain + <f32> 0.2 : gain * <f32> 0.8;
    gain = max(gain, minGain);
    u = momentum * u - learningRate * gain * g;
    setF32(gains, t, gain);
    setF32(update, t, u);
    setF32(y, t, f32At(y, t) + u);
    norm += <f64> g * g;
  }
  return norm;
}

/** Adds `b` into `a` (f32 x count), to merge partial forces. */
export function addInto(a: usize, b: usize, count: i32): void {
  let t = 0;
  for (; t + 4 <= count; t += 4) {
    const at = a + (<usize> t << 2);
    v128.store(at, f32x4.add(v128.load(at), v128.load(b + (<usize> t << 2))));
  }
  for (; t < count; t++) setF32(a, t, f32At(a, t) + f32At(b, t));
}
