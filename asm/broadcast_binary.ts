// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory
// Element-wise Add, Sub, Mul, Div, Max and Min over float32, for the two
// broadcasts training is made of: a scalar (clamps, 1 - p, loss scaling) and
// a row repeated along the last axis (a layer's bias). tfjs-wasm's stock
// kernels take a per-element index path for any broadcast, about five times
// slower than their same-shape loop.
//
// The output is `rows` x `cols`: `full` is read whole, `part` is one row of
// `cols` values repeated (a scalar when cols is 1). `partFirst` says which
// one is the left operand, which matters for Sub and Div.

const ADD: i32 = 0;
const SUB: i32 = 1;
const MUL: i32 = 2;
const DIV: i32 = 3;
const MAX: i32 = 4;
const MIN: i32 = 5;

// @ts-ignore: decorator
@inline
function vop(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  if (op == DIV) return f32x4.div(a, b);
  if (op == MAX) return f32x4.max(a, b);
  return f32x4.min(a, b);
}

// @ts-ignore: decorator
@inline
function sop(op: i32, a: f32, b: f32): f32 {
  // Through one lane of vop, so that NaN and signed zeros come out as in the vector loop.
  return f32x4.extract_lane(vop(op, f32x4.splat(a), f32x4.splat(b)), 0);
}

// @ts-ignore: decorator
@inline
function run(op: i32, full: usize, part: usize, y: usize, rows: i32, cols: i32, partFirst: bool): void {
  const n = <usize>rows * cols * 4;
  if (cols == 1) {
    const s = v128.load32_splat(part);
    const n16 = n & ~(<usize>15);
    let o: usize = 0;
    if (partFirst) {
      for (; o < n16; o += 16) v128.store(y + o, vop(op, s, v128.load(full + o)));
      for (; o < n; o += 4) store<f32>(y + o, sop(op, load<f32>(part), load<f32>(full + o)));
    } else {
      for (; o < n16; o += 16) v128.store(y + o, vop(op, v128.load(full + o), s));
      for (; o < n; o += 4) store<f32>(y + o, sop(op, load<f32>(full + o), load<f32>(part)));
    }
    return;
  }
  const rowBytes = <usize>cols * 4;
  if ((cols & 3) == 0) {
    // Whole vectors per row: one loop over the output, the row offset wrapping
    // (a loop per row would pay its set-up every few vectors: bias rows are short).
    let p: usize = 0;
    if (partFirst) {
      for (let o: usize = 0; o < n; o += 16) {
        v128.store(y + o, vop(op, v128.load(part + p), v128.load(full + o)));
        p += 16;
        if (p == rowBytes) p = 0;
      }
    } else {
      for (let o: usize = 0; o < n; o += 16) {
        v128.store(y + o, vop(op, v128.load(full + o), v128.load(part + p)));
        p += 16;
        if (p == rowBytes) p = 0;
      }
    }
    return;
  }
  const row16 = rowBytes & ~(<usize>15);
  for (let r: usize = 0; r < n; r += rowBytes) {
    const f = full + r, d = y + r;
    let o: usize = 0;
    if (partFirst) {
      for (; o < row16; o += 16) v128.store(d + o, vop(op, v128.load(part + o), v128.load(f + o)));
      for (; o < rowBytes; o += 4) store<f32>(d + o, sop(op, load<f32>(part + o), load<f32>(f + o)));
    } else {
      for (; o < row16; o += 16) v128.store(d + o, vop(op, v128.load(f + o), v128.load(part + o)));
      for (; o < rowBytes; o += 4) store<f32>(d + o, sop(op, load<f32>(f + o), load<f32>(part + o)));
    }
  }
}

/**
 * y = op(full, part) with `part`, one row of `cols` values, repeated over
 * `rows` (op(part, full) when `partFirst`); op is 0 add, 1 sub, 2 mul,
 * 3 div, 4 max, 5 min (max and min give NaN when either operand is NaN).
 */
export function broadcastBinary(op: i32, full: usize, part: usize, y: usize, rows: i32, cols: i32, partFirst: bool): void {
  // One specialised loop per operation: run() is inlined with op a constant.
  if (op == ADD) run(ADD, full, part, y, rows, cols, partFirst);
  else if (op == SUB) run(SUB, full, part, y, rows, cols, partFirst);
  else if (op == MUL) run(MUL, full, part, y, rows, cols, partFirst);
  else if (op == DIV) run(DIV, full, part, y, rows, cols, partFirst);
  else if (op == MAX) run(MAX, full, part, y, rows, cols, partFirst);
  else run(MIN, full, part, y, rows, cols, partFirst);
}
