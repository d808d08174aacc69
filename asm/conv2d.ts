// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Conv2D (NHWC, dilation 1) as a matrix product over output pixels,
//   Y[p, co] = act(bias[co] + sum over taps (fr, fc, c) of X[b, y*sh + fr - pt, x*sw + fc - pl, c] * W[fr, fc, c, co]),
// with p = (b, y, x), four pixels at a time: their taps are packed into one
// A panel of _gemm's layout (the four pixels' values of a tap adjacent),
// straight from X (no im2col matrix of fh*fw times X's size is ever
// written; taps in the padding read a row of zeros), and the 4x8 tile runs
// over it once per 8 output channels of W, packed once per call (a 3x3x16x32
// filter takes 18 KiB: it stays in L1). The tile then
// reads one stream of A, as in the matrix product: reading the four pixels'
// rows of X directly measured a third slower (four A vectors live at once
// leave V8 too few registers).
//
// A 3x3 filter at stride 1 with channels in fours goes to _winograd.ts
// instead: 16 products per block of 2x2 pixels where this sum takes 36 ran
// 1.13-1.74x as fast over channel counts 4 to 64 (in-process A/B), to
// rounding the same result.

import { NR, align64, packB, tileEdge } from "./_gemm";
import { tapRun } from "./_taps";
import { winograd3x3, winograd3x3Work } from "./_winograd";

/** Bytes of work area {@link conv2d} needs for `taps` = fh*fw*ci and `co`. */
export function conv2dWork(taps: i32, co: i32, ci: i32): usize {
  const panels = (co + NR - 1) / NR;
  const positions = taps / ci;
  const direct = <usize>(panels * taps * NR * 4 + taps * 16 + 128 + positions * 16 + ci * 4 + 5 * 64);
  // Nine positions may be a 3x3 filter, which takes winograd3x3's area.
  return positions == 9 ? max(direct, winograd3x3Work(ci, co)) : direct;
}

/**
 * Writes Y (b x oh x ow x co) from X (b x h x w x ci) and W (fh x fw x ci x co),
 * adding `bias` (co floats; none when 0) and applying ReLU when `relu`.
 */
export function conv2d(
  x: usize, filter: usize, bias: usize, y: usize, work: usize,
  batch: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32, relu: bool,
): void {
  if (fh == 3 && fw == 3 && sh == 1 && sw == 1 && (ci & 3) == 0 && (co & 3) == 0) {
    winograd3x3(x, filter, bias, y, work, batch, h, w, ci, oh, ow, co, pt, pl, relu);
    return;
  }
  const taps = fh * fw * ci;
  const panels = (co + NR - 1) / NR;
  const pb = align64(work);
  const pa = align64(pb + <usize>(panels * taps * NR * 4));
  const tmp = align64(pa + <usize>taps * 16);
  const table = align64(tmp + 128);
  const zero = align64(table + <usize>(fh * fw * 16));
  // With whole vectors of channels, the panel is built from 4x4 blocks of
  // the four pixels' rows, transposed in registers; else tap by tap.
  const blocks = (ci & 3) == 0;
  // One channel at horizontal stride 1: four pixels of a row read four adjacent floats per tap.
  const single = ci == 1 && sw == 1;
  memory.fill(zero, 0, <usize>ci * 4);
  packB(filter, co, 1, taps, co, pb);
  const pixels = batch * oh * ow;
  const ldc = <usize>co * 4;
  // The output pixel (b, oy, ox) of the group's first row, stepped along rather than divided out.
  let ox = 0, oy = 0, b = 0;
  for (let p0 = 0; p0 < pixels; p0 += 4) {
    const rows = min(4, pixels - p0);
    if (single && rows == 4 && ox + 4 <= ow) {
      packRowRun(x, b, oy, ox, pa, h, w, fh, fw, sh, pt, pl);
      ox += 4;
      if (ox == ow) {
        ox = 0;
        if (++oy == oh) {
          oy = 0;
          b++;
        }
      }
    } else for (let i = 0; i < 4; i++) {
      if (blocks) rowAddresses(x, b, oy, ox, i < rows, table + <usize>(i * 4), zero, h, w, ci, fh, fw, sh, sw, pt, pl);
      else packPixel(x, b, oy, ox, i < rows, pa + <usize>(i * 4), h, w, ci, fh, fw, sh, sw, pt, pl);
      if (++ox == ow) {
        ox = 0;
        if (++oy == oh) {
          oy = 0;
          b++;
        }
      }
    }
    if (blocks) packBlocks(table, fh * fw, ci, pa);
    for (let j = 0; j < co; j += NR) {
      // The epilogue on the sums in registers, not as a second pass over Y.
      tileEdge(
        taps, pa, pb + <usize>(j * taps * 4), 32, y + <usize>p0 * ldc + <usize>j * 4, ldc, false,
        rows, min(NR, co - j), tmp, 0, bias ? bias + <usize>j * 4 : 0, relu,
      );
    }
  }
}

/**
 * The address in X of output pixel (b, oy, ox)'s input row at each filter
 * position, or `zero` where it falls in the padding (or the pixel is past the
 * end): entry (fr * fw + fc) at `out` + 16 * (fr * fw + fc).
 */
// @ts-ignore: decorator
@inline
function rowAddresses(
  x: usize, b: i32, oy: i32, ox: i32, inside: bool, out: usize, zero: usize,
  h: i32, w: i32, ci: i32, fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const iy0 = oy * sh - pt;
  const ix0 = ox * sw - pl;
  const rowBytes = w * ci * 4;
  const pixelBytes = ci * 4;
  // Address arithmetic in i32: an offset into the padding may be negative, but is never used.
  let row = <i32>x + ((b * h + iy0) * w + ix0) * pixelBytes;
  let e = out;
  for (let fr = 0; fr < fh; fr++) {
    const iy = iy0 + fr;
    const rowIn = inside && iy >= 0 && iy < h;
    let a = row;
    for (let fc = 0; fc < fw; fc++) {
      const ix = ix0 + fc;
      store<u32>(e, rowIn && ix >= 0 && ix < w ? <u32>a : <u32>zero);
      a += pixelBytes;
      e += 16;
    }
    row += rowBytes;
  }
}

/**
 * Fills the A panel from the four pixels' rows in `table` (ci a multiple of
 * 4): each 4 channels x 4 pixels block is transposed into 4 taps of the panel.
 */
function packBlocks(table: usize, positions: i32, ci: i32, pa: usize): void {
  const bytes = <usize>ci * 4;
  for (let s = 0; s < positions; s++) {
    const e = table + <usize>(s * 16);
    const a0 = <usize>load<u32>(e), a1 = <usize>load<u32>(e, 4);
    const a2 = <usize>load<u32>(e, 8), a3 = <usize>load<u32>(e, 12);
    for (let o: usize = 0; o < bytes; o += 16) {
      const v0 = v128.load(a0 + o), v1 = v128.load(a1 + o);
      const v2 = v128.load(a2 + o), v3 = v128.load(a3 + o);
      const t01 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
      const t23 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
      const u01 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
      const u23 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
      v128.store(pa, v128.shuffle<f32>(t01, t23, 0, 1, 4, 5));
      v128.store(pa, v128.shuffle<f32>(t01, t23, 2, 3, 6, 7), 16);
      v128.store(pa, v128.shuffle<f32>(u01, u23, 0, 1, 4, 5), 32);
      v128.store(pa, v128.shuffle<f32>(u01, u23, 2, 3, 6, 7), 48);
      pa += 64;
    }
  }
}

/**
 * For one input channel at horizontal stride 1, the taps of output pixels
 * (b, oy, ox .. ox+3), all in one output row: each tap of the four is one run
 * of 4 floats of X (zeros in the padding), stored as it is into the panel.
 */
// @ts-ignore: decorator
@inline
function packRowRun(
  x: usize, b: i32, oy: i32, ox: i32, pa: usize, h: i32, w: i32, fh: i32, fw: i32, sh: i32, pt: i32, pl: i32,
): void {
  const iy0 = oy * sh - pt;
  const ix0 = ox - pl;
  for (let fr = 0; fr < fh; fr++) {
    for (let fc = 0; fc < fw; fc++) {
      v128.store(pa, tapRun(x, b, iy0 + fr, ix0 + fc, h, w));
      pa += 16;
    }
  }
}

/**
 * Writes output pixel (b, oy, ox)'s taps, in W's order, into its lane of the
 * A panel: tap t at out + 16 t. Taps in the padding (all of them when not
 * `inside`, past the last pixel) are zero.
 */
// @ts-ignore: decorator
@inline
function packPixel(
  x: usize, b: i32, oy: i32, ox: i32, inside: bool, out: usize,
  h: i32, w: i32, ci: i32, fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const iy0 = oy * sh - pt;
  const ix0 = ox * sw - pl;
  if (inside && iy0 >= 0 && iy0 + fh <= h && ix0 >= 0 && ix0 + fw <= w) {
    // The whole window inside: each filter row is one run of fw*ci floats of X.
    const run = <usize>(fw * ci) * 4;
    let src = x + <usize>(((b * h + iy0) * w + ix0) * ci) * 4;
    const rowBytes = <usize>(w * ci) * 4;
    for (let fr = 0; fr < fh; fr++) {
      for (let o: usize = 0; o < run; o += 4) store<f32>(out + (o << 2), load<f32>(src + o));
      src += rowBytes;
      out += run << 2;
    }
    return;
  }
  for (let fr = 0; fr < fh; fr++) {
    const iy = iy0 + fr;
    for (let fc = 0; fc < fw; fc++) {
      const ix = ix0 + fc;
      if (inside && iy >= 0 && iy < h && ix >= 0 && ix < w) {
        const src = x + <usize>(((b * h + iy) * w + ix) * ci) * 4;
        for (let c = 0; c < ci; c++) store<f32>(out + <usize>(c * 16), load<f32>(src + <usize>(c * 4)));
      } else {
        for (let c = 0; c < ci; c++) store<f32>(out + <usize>(c * 16), 0);
      }
      out += <usize>ci * 16;
    }
  }
}

/** Bytes of work area {@link conv2dBackpropInput} needs (see {@link conv2dWork}). */
export function conv2dBackpropInputWork(taps: i32, co: i32, ci: i32): usize {
  // The turned filter, then the work of a convolution with co input and ci output channels.
  return <usize>taps * co * 4 + 64 + conv2dWork(taps / ci * co, ci, co);
}

/**
 * The input gradient of a stride-1 convolution, as a convolution itself:
 *   dX[b, iy, ix, c] = sum over (fr, fc, o) of dY[b, iy - fr + pt, ix - fc + pl, o] * W[fr, fc, c, o]
 * is the convolution of dY, padded by fh-1-pt and fw-1-pl, with the filter
 * turned half a turn and its channel axes swapped. Writes dX (b x h x w x ci)
 * from dY (b x oh x ow x co) and W (fh x fw x ci x co).
 */
export function conv2dBackpropInput(
  dy: usize, filter: usize, dx: usize, work: usize,
  batch: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32,
  fh: i32, fw: i32, pt: i32, pl: i32,
): void {
  const turned = align64(work);
  for (let fr = 0; fr < fh; fr++) {
    for (let fc = 0; fc < fw; fc++) {
      const src = filter + <usize>(((fh - 1 - fr) * fw + (fw - 1 - fc)) * ci * co) * 4;
      const dst = turned + <usize>((fr * fw + fc) * co * ci) * 4;
      for (let c = 0; c < ci; c++) {
        for (let o = 0; o < co; o++) store<f32>(dst + <usize>(o * ci + c) * 4, load<f32>(src + <usize>(c * co + o) * 4));
      }
    }
  }
  conv2d(
    dy, turned, 0, dx, turned + <usize>(fh * fw * ci * co) * 4,
    batch, oh, ow, co, h, w, ci, fh, fw, 1, 1, fh - 1 - pt, fw - 1 - pl, false,
  );
}
