// deno-fmt-ignore-file: AssemblyScript, kept as written.
// A 3x3 convolution at stride 1 by Winograd's minimal filtering F(2x2, 3x3)
// (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016).
// Each 2x2 block of output pixels is A^T [U . (B^T d B)] A, with d the
// block's 4x4 window of the input and U = G g G^T the transformed filter: 16
// products per input and output channel where the direct sum takes 36. For
// each of the 16 positions of the window, the products over the channels are
// one matrix product (blocks x ci) . (ci x co), run by _gemm's tile four
// blocks at a time: the four blocks' transformed windows make one A panel per
// position, and U is packed once per call, as 16 panels of B. The sums come
// out in another order than the direct one's, and equal it to rounding.

import { MR, NR, align64, tile4x8, transpose4 } from "./_gemm";

/** Bytes of work area {@link winograd3x3} needs for `ci` input and `co` output channels. */
export function winograd3x3Work(ci: i32, co: i32): usize {
  const cop = (co + NR - 1) & ~(NR - 1);
  // U, the A panels, the four windows, the products, and scratch (see winograd3x3).
  return <usize>(16 * ci * cop * 4 + 16 * ci * MR * 4 + MR * 16 * ci * 4 + 16 * MR * cop * 4 + 256 + 64 + ci * 4 + 8 * 64);
}

/**
 * Writes Y (b x oh x ow x co) from X (b x h x w x ci) and W (3 x 3 x ci x co)
 * for stride 1 and padding `pt` (top) and `pl` (left), adding `bias` (co
 * floats; none when 0) and applying ReLU when `relu`; ci and co are
 * multiples of 4.
 */
export function winograd3x3(
  x: usize, filter: usize, bias: usize, y: usize, work: usize,
  batch: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, pt: i32, pl: i32, relu: bool,
): void {
  const cop = (co + NR - 1) & ~(NR - 1);
  const pu = align64(work);
  const pa = align64(pu + <usize>(16 * ci * cop * 4));
  const pv = align64(pa + <usize>(16 * ci * MR * 4));
  const pm = align64(pv + <usize>(MR * 16 * ci * 4));
  const scratch = align64(pm + <usize>(16 * MR * cop * 4));
  const table = align64(scratch + 256);
  const zero = align64(table + 64);
  memory.fill(zero, 0, <usize>ci * 4);
  transformFilter(filter, ci, co, cop, pu, scratch);
  const th = (oh + 1) >> 1, tw = (ow + 1) >> 1;
  const blocks = batch * th * tw;
  const windowBytes = <usize>(16 * ci * 4);
  const ldm = <usize>cop * 4;
  // The block (b, ty, tx) of the group's first window, stepped along rather than divided out.
  let b = 0, ty = 0, tx = 0;
  for (let q = 0; q < blocks; q += MR) {
    const rows = min(MR, blocks - q);
    let ib = b, iy = ty, ix = tx;
    for (let i = 0; i < MR; i++) {
      const v = pv + <usize>i * windowBytes;
      // Past the last block: zeros, whose products are never stored.
      if (i >= rows) {
        memory.fill(v, 0, windowBytes);
        continue;
      }
      transformInput(x, ib, iy, ix, h, w, ci, pt, pl, table, zero, scratch, v);
      if (++ix == tw) {
        ix = 0;
        if (++iy == th) {
          iy = 0;
          ib++;
        }
      }
    }
    // Position s's A panel: step c holds the four windows' channel c.
    for (let s = 0; s < 16; s++) {
      for (let c = 0; c < ci; c += 4) {
        transpose4(pv + <usize>((s * ci + c) * 4), windowBytes, pa + <usize>((s * ci + c) * 16), 16);
      }
    }
    // U's columns past co are zero, so whole tiles run into M's padding.
    for (let s = 0; s < 16; s++) {
      for (let j = 0; j < cop; j += NR) {
        tile4x8(
          ci, pa + <usize>(s * ci * 16), pu + <usize>((s * ci * cop + j * ci) * 4), 32,
          pm + <usize>((s * MR * cop + j) * 4), ldm, false,
        );
      }
    }
    for (let i = 0; i < rows; i++) {
      transformOutput(pm + <usize>(i * cop * 4), <usize>(MR * cop * 4), bias, y, b, ty, tx, oh, ow, co, relu);
      if (++tx == tw) {
        tx = 0;
        if (++ty == th) {
          ty = 0;
          b++;
        }
      }
    }
  }
}

/**
 * U = G g G^T for each input and output channel, packed as 16 B panels of
 * ci x cop (NR columns each, zero past co): U at position s, channels (c, o)
 * at pu + 4 * (s * ci * cop + (o / 8) * ci * 8 + c * 8 + o % 8).
 * G = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1].
 */
function transformFilter(filter: usize, ci: i32, co: i32, cop: i32, pu: usize, gg: usize): void {
  memory.fill(pu, 0, <usize>(16 * ci * cop * 4));
  for (let c = 0; c < ci; c++) {
    for (let o = 0; o < co; o++) {
      // G g: 4 x 3, at gg.
      for (let k = 0; k < 3; k++) {
        const g0 = load<f32>(filter + <usize>(((0 * 3 + k) * ci + c) * co + o) * 4);
        const g1 = load<f32>(filter + <usize>(((1 * 3 + k) * ci + c) * co + o) * 4);
        const g2 = load<f32>(filter + <usize>(((2 * 3 + k) * ci + c) * co + o) * 4);
        store<f32>(gg + <usize>(0 * 3 + k) * 4, g0);
        store<f32>(gg + <usize>(1 * 3 + k) * 4, (g0 + g1 + g2) * 0.5);
        store<f32>(gg + <usize>(2 * 3 + k) * 4, (g0 - g1 + g2) * 0.5);
        store<f32>(gg + <usize>(3 * 3 + k) * 4, g2);
      }
      // (G g) G^T: 4 x 4.
      const at = pu + <usize>(((o >> 3) * ci * 8 + c * 8 + (o & 7)) * 4);
      const step = <usize>(ci * cop * 4);
      for (let r = 0; r < 4; r++) {
        const a0 = load<f32>(gg + <usize>(r * 3) * 4);
        const a1 = load<f32>(gg + <usize>(r * 3 + 1) * 4);
        const a2 = load<f32>(gg + <usize>(r * 3 + 2) * 4);
        const s = at + <usize>(r * 4) * step;
        store<f32>(s, a0);
        store<f32>(s + step, (a0 + a1 + a2) * 0.5);
        store<f32>(s + 2 * step, (a0 - a1 + a2) * 0.5);
        store<f32>(s + 3 * step, a2);
      }
    }
  }
}

/**
 * V = B^T d B for the window of block (b, ty, tx), four channels at a time:
 * position s, channel c at v + 4 * (s * ci + c). Pixels of the window in the
 * padding read `zero`. B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
 */
function transformInput(
  x: usize, b: i32, ty: i32, tx: i32, h: i32, w: i32, ci: i32, pt: i32, pl: i32,
  table: usize, zero: usize, t: usize, v: usize,
): void {
  const iy0 = 2 * ty - pt, ix0 = 2 * tx - pl;
  for (let r = 0; r < 4; r++) {
    const iy = iy0 + r;
    for (let s = 0; s < 4; s++) {
      const ix = ix0 + s;
      const inside = iy >= 0 && iy < h && ix >= 0 && ix < w;
      store<u32>(table + <usize>((r * 4 + s) * 4), inside ? <u32>(x + <usize>(((b * h + iy) * w + ix) * ci) * 4) : <u32>zero);
    }
  }
  const plane = <usize>(ci * 4);
  for (let c = 0; c < ci; c += 4) {
    const o = <usize>c * 4;
    // B^T d, column by column, into t (row r, column s at t + 16 (4 r + s)).
    for (let s = 0; s < 4; s++) {
      const d0 = v128.load(<usize>load<u32>(table + <usize>(s * 4)) + o);
      const d1 = v128.load(<usize>load<u32>(table + <usize>((4 + s) * 4)) + o);
      const d2 = v128.load(<usize>load<u32>(table + <usize>((8 + s) * 4)) + o);
      const d3 = v128.load(<usize>load<u32>(table + <usize>((12 + s) * 4)) + o);
      v128.store(t + <usize>(s * 16), f32x4.sub(d0, d2));
      v128.store(t + <usize>((4 + s) * 16), f32x4.add(d1, d2));
      v128.store(t + <usize>((8 + s) * 16), f32x4.sub(d2, d1));
      v128.store(t + <usize>((12 + s) * 16), f32x4.sub(d1, d3));
    }
    // (B^T d) B, row by row.
    for (let r = 0; r < 4; r++) {
      const e0 = v128.load(t + <usize>(r * 64)), e1 = v128.load(t + <usize>(r * 64 + 16));
      const e2 = v128.load(t + <usize>(r * 64 + 32)), e3 = v128.load(t + <usize>(r * 64 + 48));
      const out = v + o + <usize>(r * 4) * plane;
      v128.store(out, f32x4.sub(e0, e2));
      v128.store(out + plane, f32x4.add(e1, e2));
      v128.store(out + 2 * plane, f32x4.sub(e2, e1));
      v128.store(out + 3 * plane, f32x4.sub(e1, e3));
    }
  }
}

/**
 * Y's 2x2 block (b, ty, tx) = A^T m A from the block's 16 products (position
 * s at m + s * step, co floats), plus bias and ReLU; the block's pixels past
 * oh or ow are not stored. A^T = [1 1 1 0; 0 1 -1 -1].
 */
function transformOutput(
  m: usize, step: usize, bias: usize, y: usize, b: i32, ty: i32, tx: i32, oh: i32, ow: i32, co: i32,
  relu: bool,
): void {
  const oy = 2 * ty, ox = 2 * tx;
  const right = ox + 1 < ow, below = oy + 1 < oh;
  const pixel = <usize>co * 4;
  const y00 = y + <usize>((b * oh + oy) * ow + ox) * pixel;
  const y10 = y00 + <usize>ow * pixel;
  const zero = f32x4.splat(0);
  for (let o: usize = 0; o < pixel; o += 16) {
    // m A: row r of the window (positions 4 r .. 4 r + 3) into its two columns, wr0 and wr1.
    let p = m + o;
    let a0 = v128.load(p), a1 = v128.load(p + step), a2 = v128.load(p + 2 * step), a3 = v128.load(p + 3 * step);
    const w00 = f32x4.add(f32x4.add(a0, a1), a2), w01 = f32x4.sub(f32x4.sub(a1, a2), a3);
    p += 4 * step;
    a0 = v128.load(p); a1 = v128.load(p + step); a2 = v128.load(p + 2 * step); a3 = v128.load(p + 3 * step);
    const w10 = f32x4.add(f32x4.add(a0, a1), a2), w11 = f32x4.sub(f32x4.sub(a1, a2), a3);
    p += 4 * step;
    a0 = v128.load(p); a1 = v128.load(p + step); a2 = v128.load(p + 2 * step); a3 = v128.load(p + 3 * step);
    const w20 = f32x4.add(f32x4.add(a0, a1), a2), w21 = f32x4.sub(f32x4.sub(a1, a2), a3);
    p += 4 * step;
    a0 = v128.load(p); a1 = v128.load(p + step); a2 = v128.load(p + 2 * step); a3 = v128.load(p + 3 * step);
    const w30 = f32x4.add(f32x4.add(a0, a1), a2), w31 = f32x4.sub(f32x4.sub(a1, a2), a3);
    // A^T (m A): the block's pixel (row, column) as v<row><column>.
    let v00 = f32x4.add(f32x4.add(w00, w10), w20), v10 = f32x4.sub(f32x4.sub(w10, w20), w30);
    let v01 = f32x4.add(f32x4.add(w01, w11), w21), v11 = f32x4.sub(f32x4.sub(w11, w21), w31);
    if (bias) {
      const bv = v128.load(bias + o);
      v00 = f32x4.add(v00, bv);
      v01 = f32x4.add(v01, bv);
      v10 = f32x4.add(v10, bv);
      v11 = f32x4.add(v11, bv);
    }
    if (relu) {
      v00 = f32x4.max(v00, zero);
      v01 = f32x4.max(v01, zero);
      v10 = f32x4.max(v10, zero);
      v11 = f32x4.max(v11, zero);
    }
    v128.store(y00 + o, v00);
    if (right) v128.store(y00 + pixel + o, v01);
    if (below) {
      v128.store(y10 + o, v10);
      if (right) v128.store(y10 + pixel + o, v11);
    }
  }
}
