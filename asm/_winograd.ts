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
//
// The filter gradient takes the same transforms the other way round
// (differentiate y = A^T [(G g) . (B^T d)] in g): for each block of 2x2
// output pixels, dW gets G^T [(A u A^T) . (B^T d B)] G with u the block's dY.
// The 16 elementwise products summed over all blocks are 16 matrix products
// (ci x blocks) . (blocks x co) with a long reduction, and the transform back
// to 3x3 runs once per call, not per block.

import { MR, NR, align64, tile4x8, transpose4 } from "./_gemm";

/** Bytes of work area {@link winograd3x3} needs for `ci` input and `co` output channels. */
export function winograd3x3Work(ci: i32, co: i32): usize {
  const cop = (co + NR - 1) & ~(NR - 1);
  // U, the A panels, the four windows, the products, and scratch (see winograd3x3).
  return <usize>(16 * ci * cop * 4 + 16 * ci * MR * 4 + MR * 16 * ci * 4 + 16 * MR * cop * 4 + 256 + ci * 4 + 7 * 64);
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
  const zero = align64(scratch + 256);
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
      transformInput(x, ib, iy, ix, h, w, ci, pt, pl, zero, v, <usize>(ci * 4), 16);
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
 * position s, channels c .. c+3 at v + s * sStride + (c / 4) * cStride. Pixels
 * of the window in the padding read `zero`.
 * B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
 */
function transformInput(
  x: usize, b: i32, ty: i32, tx: i32, h: i32, w: i32, ci: i32, pt: i32, pl: i32,
  zero: usize, v: usize, sStride: usize, cStride: usize,
): void {
  const y0 = 2 * ty - pt, x0 = 2 * tx - pl;
  // The window's 16 addresses, taken once for all its channels.
  const a00 = pixel(x, b, y0, x0, h, w, ci, zero), a01 = pixel(x, b, y0, x0 + 1, h, w, ci, zero);
  const a02 = pixel(x, b, y0, x0 + 2, h, w, ci, zero), a03 = pixel(x, b, y0, x0 + 3, h, w, ci, zero);
  const a10 = pixel(x, b, y0 + 1, x0, h, w, ci, zero), a11 = pixel(x, b, y0 + 1, x0 + 1, h, w, ci, zero);
  const a12 = pixel(x, b, y0 + 1, x0 + 2, h, w, ci, zero), a13 = pixel(x, b, y0 + 1, x0 + 3, h, w, ci, zero);
  const a20 = pixel(x, b, y0 + 2, x0, h, w, ci, zero), a21 = pixel(x, b, y0 + 2, x0 + 1, h, w, ci, zero);
  const a22 = pixel(x, b, y0 + 2, x0 + 2, h, w, ci, zero), a23 = pixel(x, b, y0 + 2, x0 + 3, h, w, ci, zero);
  const a30 = pixel(x, b, y0 + 3, x0, h, w, ci, zero), a31 = pixel(x, b, y0 + 3, x0 + 1, h, w, ci, zero);
  const a32 = pixel(x, b, y0 + 3, x0 + 2, h, w, ci, zero), a33 = pixel(x, b, y0 + 3, x0 + 3, h, w, ci, zero);
  for (let c = 0; c < ci; c += 4) {
    const o = <usize>c * 4;
    // B^T d, column by column, then (B^T d) B row by row, in registers: with B^T d through a
    // scratch copy and the addresses through a table in memory (each a bounds-checked load), the
    // forward pass ran 1/1.17, the input gradient 1/1.23, the filter gradient 1/1.15 as fast.
    const d00 = v128.load(a00 + o), d10 = v128.load(a10 + o), d20 = v128.load(a20 + o), d30 = v128.load(a30 + o);
    const t00 = f32x4.sub(d00, d20), t10 = f32x4.add(d10, d20), t20 = f32x4.sub(d20, d10), t30 = f32x4.sub(d10, d30);
    const d01 = v128.load(a01 + o), d11 = v128.load(a11 + o), d21 = v128.load(a21 + o), d31 = v128.load(a31 + o);
    const t01 = f32x4.sub(d01, d21), t11 = f32x4.add(d11, d21), t21 = f32x4.sub(d21, d11), t31 = f32x4.sub(d11, d31);
    const d02 = v128.load(a02 + o), d12 = v128.load(a12 + o), d22 = v128.load(a22 + o), d32 = v128.load(a32 + o);
    const t02 = f32x4.sub(d02, d22), t12 = f32x4.add(d12, d22), t22 = f32x4.sub(d22, d12), t32 = f32x4.sub(d12, d32);
    const d03 = v128.load(a03 + o), d13 = v128.load(a13 + o), d23 = v128.load(a23 + o), d33 = v128.load(a33 + o);
    const t03 = f32x4.sub(d03, d23), t13 = f32x4.add(d13, d23), t23 = f32x4.sub(d23, d13), t33 = f32x4.sub(d13, d33);
    const out = v + <usize>(c >> 2) * cStride;
    inputRow(out, sStride, t00, t01, t02, t03);
    inputRow(out + 4 * sStride, sStride, t10, t11, t12, t13);
    inputRow(out + 8 * sStride, sStride, t20, t21, t22, t23);
    inputRow(out + 12 * sStride, sStride, t30, t31, t32, t33);
  }
}

/** The address of pixel (b, iy, ix) of X (b x h x w x ci), or `zero` (ci zeros) outside the image. */
// @ts-ignore: decorator
@inline
function pixel(x: usize, b: i32, iy: i32, ix: i32, h: i32, w: i32, ci: i32, zero: usize): usize {
  return iy >= 0 && iy < h && ix >= 0 && ix < w ? x + <usize>(((b * h + iy) * w + ix) * ci) * 4 : zero;
}

/** Row [e0 - e2, e1 + e2, e2 - e1, e1 - e3] of (B^T d) B, at out, out + step, ... */
// @ts-ignore: decorator
@inline
function inputRow(out: usize, step: usize, e0: v128, e1: v128, e2: v128, e3: v128): void {
  v128.store(out, f32x4.sub(e0, e2));
  v128.store(out + step, f32x4.add(e1, e2));
  v128.store(out + 2 * step, f32x4.sub(e2, e1));
  v128.store(out + 3 * step, f32x4.sub(e1, e3));
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

/** Blocks of the filter gradient's reduction transformed per pass (panels of 64 steps stay in L2). */
const KB: i32 = 64;

/** Bytes of work area {@link winograd3x3Filter} needs for `ci` input and `co` output channels. */
export function winograd3x3FilterWork(ci: i32, co: i32): usize {
  const cop = (co + NR - 1) & ~(NR - 1);
  // dY's and X's transformed blocks as B and A panels, the 16 products, and scratch.
  return <usize>(16 * (cop * KB * 4 + 64) + 16 * (ci * KB * 4 + 64) + 16 * ci * cop * 4 + 256 + ci * 4 + 5 * 64);
}

/**
 * Writes columns [j0, j1) of dW (3 x 3 x ci x co) for a 3x3 convolution at
 * stride 1 of X (b x h x w x ci) with padding `pt`, `pl`, from dY (b x oh x
 * ow x co), summed over images [b0, b1) alone; ci and co are multiples of 4,
 * j0 of 8.
 */
export function winograd3x3Filter(
  x: usize, dy: usize, dw: usize, work: usize,
  h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, pt: i32, pl: i32, j0: i32, j1: i32, b0: i32, b1: i32,
): void {
  const cols = j1 - j0;
  const cop = (cols + NR - 1) & ~(NR - 1);
  const pb = align64(work);
  const pa = align64(pb + <usize>(16 * (cop * KB * 4 + 64)));
  const pm = align64(pa + <usize>(16 * (ci * KB * 4 + 64)));
  const scratch = align64(pm + <usize>(16 * ci * cop * 4));
  const zero = align64(scratch + 256);
  memory.fill(zero, 0, <usize>ci * 4);
  const th = (oh + 1) >> 1, tw = (ow + 1) >> 1;
  const blocks = (b1 - b0) * th * tw;
  if (blocks == 0) memory.fill(pm, 0, <usize>(16 * ci * cop * 4));
  let b = b0, ty = 0, tx = 0;
  for (let q = 0; q < blocks; q += KB) {
    const kb = min(KB, blocks - q);
    // Block k is step k of every panel: X's at pa, 4 channels a panel; dY's at pb, 8 columns a panel.
    // A line between positions: at strides of 4 KiB, the 16 positions' stores would share one set
    // of L1 (a store per block to each ran the gradient at 4 input and 16 output channels 0.67x
    // as fast as the direct sum).
    const sa = <usize>(ci * kb * 4 + 64), sb = <usize>(cop * kb * 4 + 64);
    for (let k = 0; k < kb; k++) {
      transformInput(x, b, ty, tx, h, w, ci, pt, pl, zero, pa + <usize>(k * 16), sa, <usize>(kb * 16));
      transformGrad(dy, b, ty, tx, oh, ow, co, j0, cols, pb + <usize>(k * 32), sb, <usize>(kb * 32));
      if (++tx == tw) {
        tx = 0;
        if (++ty == th) {
          ty = 0;
          b++;
        }
      }
    }
    for (let s = 0; s < 16; s++) {
      for (let c = 0; c < ci; c += MR) {
        for (let j = 0; j < cop; j += NR) {
          tile4x8(
            kb, pa + <usize>s * sa + <usize>(c * kb * 4), pb + <usize>s * sb + <usize>(j * kb * 4), 32,
            pm + <usize>(((s * ci + c) * cop + j) * 4), <usize>(cop * 4), q > 0,
          );
        }
      }
    }
  }
  // G^T m G, four columns at a time: m at position s is pm + ((s * ci + c) * cop + o) * 4.
  const step = <usize>(ci * cop * 4);
  for (let c = 0; c < ci; c++) {
    for (let o = 0; o < cols; o += 4) {
      const m = pm + <usize>((c * cop + o) * 4);
      const dst = dw + <usize>((c * co + j0 + o) * 4);
      transformBack(m, step, scratch, 16);
      transformBack(m + 4 * step, step, scratch + 48, 16);
      transformBack(m + 8 * step, step, scratch + 96, 16);
      transformBack(m + 12 * step, step, scratch + 144, 16);
      // Along the window's rows: column fc of dW from the four rows' results at scratch.
      const tap = <usize>(ci * co * 4);
      for (let fc = 0; fc < 3; fc++) transformBack(scratch + <usize>(fc * 16), 48, dst + <usize>fc * tap, 3 * tap);
    }
  }
}

/**
 * The 3-point transform back, G^T: from four vectors at m, m + step, m + 2 step,
 * m + 3 step to three at out, out + outStep, out + 2 outStep (a row of the
 * window's products into its three columns, or a column of those into dW).
 * G^T = [1 1/2 1/2 0; 0 1/2 -1/2 0; 0 1/2 1/2 1].
 */
// @ts-ignore: decorator
@inline
function transformBack(m: usize, step: usize, out: usize, outStep: usize): void {
  const m0 = v128.load(m), m1 = v128.load(m + step), m2 = v128.load(m + 2 * step), m3 = v128.load(m + 3 * step);
  const half = f32x4.splat(0.5);
  const sum = f32x4.mul(f32x4.add(m1, m2), half);
  v128.store(out, f32x4.add(m0, sum));
  v128.store(out + outStep, f32x4.mul(f32x4.sub(m1, m2), half));
  v128.store(out + 2 * outStep, f32x4.add(sum, m3));
}

/**
 * A u A^T for block (b, ty, tx) of dY (u its 2x2 pixels, zero past oh or ow),
 * columns [j0, j0 + cols), four at a time: position s, columns o .. o+3 (from
 * j0) at v + s * sStride + (o / 8) * jStride + (o % 8) * 4.
 * A^T = [1 1 1 0; 0 1 -1 -1].
 */
function transformGrad(
  dy: usize, b: i32, ty: i32, tx: i32, oh: i32, ow: i32, co: i32, j0: i32, cols: i32,
  v: usize, sStride: usize, jStride: usize,
): void {
  const oy = 2 * ty, ox = 2 * tx;
  const right = ox + 1 < ow, below = oy + 1 < oh;
  const pixel = <usize>co * 4;
  const p00 = dy + <usize>((b * oh + oy) * ow + ox) * pixel + <usize>j0 * 4;
  const p10 = p00 + <usize>ow * pixel;
  const zero = f32x4.splat(0);
  for (let o = 0; o < cols; o += 4) {
    const at = <usize>(o * 4);
    const u00 = v128.load(p00 + at);
    const u01 = right ? v128.load(p00 + pixel + at) : zero;
    const u10 = below ? v128.load(p10 + at) : zero;
    const u11 = right && below ? v128.load(p10 + pixel + at) : zero;
    // A u: column 0 as a0..a3, column 1 as c0..c3; then row r is [ar, ar + cr, ar - cr, -cr].
    const a1 = f32x4.add(u00, u10), a2 = f32x4.sub(u00, u10), a3 = f32x4.neg(u10);
    const c1 = f32x4.add(u01, u11), c2 = f32x4.sub(u01, u11), c3 = f32x4.neg(u11);
    const out = v + <usize>(o >> 3) * jStride + <usize>((o & 4) * 4);
    gradRow(out, sStride, u00, u01);
    gradRow(out + 4 * sStride, sStride, a1, c1);
    gradRow(out + 8 * sStride, sStride, a2, c2);
    gradRow(out + 12 * sStride, sStride, a3, c3);
  }
}

/** Row [a, a + c, a - c, -c] of A u A^T, at out, out + step, ... */
// @ts-ignore: decorator
@inline
function gradRow(out: usize, step: usize, a: v128, c: v128): void {
  v128.store(out, a);
  v128.store(out + step, f32x4.add(a, c));
  v128.store(out + 2 * step, f32x4.sub(a, c));
  v128.store(out + 3 * step, f32x4.neg(c));
}
