// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Conv2DBackpropFilter (NHWC, dilation 1): the filter gradient
//   dW[fr, fc, ci, co] = sum over pixels p = (b, y, x) of
//                        X[b, y*sh + fr - pt, x*sw + fc - pl, ci] * dY[p, co],
// a product P^T dY with P the im2col matrix of X (one row of fh*fw*ci taps per
// output pixel). The reduction runs over the pixels, KC at a time: each block
// of P is written straight into the 4-row panels the tile reads (so the full
// im2col matrix never exists), dY's rows are read in place (packed only when
// co is not a multiple of 8), and dW, small enough for L1, accumulates across
// blocks. A big batch is summed in up to four parts over ranges of pixels,
// added in order at the end (addParts): the parts depend on the batch's size
// only, so kernel threads, each taking a part, give the 1-thread result.

import { MR, NR, align64, packB, tileEdge } from "./_gemm";
import { tapAt, tapRun } from "./_taps";
import { winograd3x3Filter, winograd3x3FilterWork } from "./_winograd";

const KC: i32 = 256;

/** Bytes of work area {@link conv2dBackpropFilter} needs for `taps` = fh*fw*ci and `co`. */
export function conv2dBackpropFilterWork(taps: i32, co: i32): usize {
  const panelsA = (taps + MR - 1) / MR;
  const panelsB = (co + NR - 1) / NR;
  const direct = <usize>(panelsA * KC * MR * 4 + panelsB * KC * NR * 4 + 128 + 3 * 64);
  // A 3x3 filter (taps = 9 ci) may take winograd3x3Filter's area.
  return taps % 9 == 0 ? max(direct, winograd3x3FilterWork(taps / 9, co)) : direct;
}

/**
 * Writes columns [j0, j1) of dW (fh*fw*ci x co) from X (b x h x w x ci) and
 * dY (b x oh x ow x co), summed over the output pixels [q0, q1) of the batch
 * only (a part of the sum, which {@link addParts} completes; the range
 * stands for the batch's size); j0 is a
 * multiple of 8. A column and a range of pixels are computed the same
 * whatever the others, so kernel threads can take a part each.
 */
export function conv2dBackpropFilter(
  x: usize, dy: usize, dw: usize, work: usize,
  _batch: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32, j0: i32, j1: i32, q0: i32, q1: i32,
): void {
  // Whole images at a 3x3 filter's stride 1, channels in fours: by Winograd's transforms.
  const image = oh * ow;
  const whole = image > 0 && q0 % image == 0 && q1 % image == 0;
  if (fh == 3 && fw == 3 && sh == 1 && sw == 1 && (ci & 3) == 0 && (co & 3) == 0 && whole) {
    winograd3x3Filter(x, dy, dw, work, h, w, ci, oh, ow, co, pt, pl, j0, j1, q0 / image, q1 / image);
    return;
  }
  const taps = fh * fw * ci;
  const panelsA = (taps + MR - 1) / MR;
  const panelsB = (co + NR - 1) / NR;
  const pa = align64(work);
  const pb = align64(pa + <usize>(panelsA * KC * MR * 4));
  const tmp = align64(pb + <usize>(panelsB * KC * NR * 4));
  const ldc = <usize>co * 4;
  if (q1 <= q0) {
    for (let t = 0; t < taps; t++) memory.fill(dw + <usize>(t * co + j0) * 4, 0, <usize>(j1 - j0) * 4);
  }
  for (let p0 = q0; p0 < q1; p0 += KC) {
    const kc = min(KC, q1 - p0);
    im2colPanels(x, p0, kc, pa, h, w, ci, oh, ow, fh, fw, sh, sw, pt, pl, taps);
    // dY's rows serve as B as they are when whole panels of 8 fit; else they are packed.
    const direct = (co & (NR - 1)) == 0;
    const rows = dy + <usize>p0 * co * 4;
    if (!direct) packB(rows + <usize>j0 * 4, co, 1, kc, j1 - j0, pb);
    for (let j = j0; j < j1; j += NR) {
      const bp = direct ? rows + <usize>j * 4 : pb + <usize>((j - j0) * kc * 4);
      const ldb: usize = direct ? ldc : 32;
      for (let i = 0; i < taps; i += MR) {
        tileEdge(
          kc, pa + <usize>(i * kc * 4), bp, ldb, dw + <usize>i * ldc + <usize>j * 4, ldc, p0 > q0,
          min(MR, taps - i), min(NR, j1 - j), tmp,
        );
      }
    }
  }
}

/**
 * Completes a sum over parts: dst[i] = ((dst[i] + parts[i]) + parts[n + i]) + ...
 * over `count` parts of n floats each, in order, for i in [from, from + len);
 * from is a multiple of 4.
 */
export function addParts(dst: usize, parts: usize, count: i32, n: i32, from: i32, len: i32): void {
  const end = from + len;
  const stride = <usize>n * 4;
  let i = from;
  for (; i + 4 <= end; i += 4) {
    const o = <usize>i * 4;
    let acc = v128.load(dst + o);
    for (let k = 0; k < count; k++) acc = f32x4.add(acc, v128.load(parts + <usize>k * stride + o));
    v128.store(dst + o, acc);
  }
  for (; i < end; i++) {
    const o = <usize>i * 4;
    let acc = load<f32>(dst + o);
    for (let k = 0; k < count; k++) acc += load<f32>(parts + <usize>k * stride + o);
    store<f32>(dst + o, acc);
  }
}

/**
 * Rows p0 .. p0+kc of the im2col matrix, written transposed into panels of 4
 * taps: tap t of pixel r lands at pa + ((t / 4) * kc + r) * 16 + (t % 4) * 4.
 * One panel column at a time, along runs of pixels in an output row, so each
 * store follows the last (pixel by pixel, the writes would hop between panels
 * kc * 16 bytes apart). Taps in the padding are zero, as are the unused taps
 * of the last panel.
 */
function im2colPanels(
  x: usize, p0: i32, kc: i32, pa: usize,
  h: i32, w: i32, ci: i32, oh: i32, ow: i32, fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
  taps: i32,
): void {
  if (ci == 1 && sw == 1) {
    im2colRuns(x, p0, kc, pa, h, w, oh, ow, fw, sh, pt, pl, taps);
    return;
  }
  const panelBytes = <usize>kc * 16;
  if (taps & (MR - 1)) memory.fill(pa + <usize>(taps >> 2) * panelBytes, 0, panelBytes);
  const vec = (ci & 3) == 0;
  const srcStep = <usize>(sw * ci * 4);
  const ox0 = p0 % ow;
  const oy0 = (p0 / ow) % oh;
  const b0 = p0 / (ow * oh);
  for (let fr = 0; fr < fh; fr++) {
    for (let fc = 0; fc < fw; fc++) {
      for (let c = 0; c < ci; c += vec ? 4 : 1) {
        const t = (fr * fw + fc) * ci + c;
        let dst = pa + <usize>(t >> 2) * panelBytes + <usize>((t & 3) << 2);
        let ox = ox0, oy = oy0, b = b0;
        for (let r = 0; r < kc;) {
          const run = min(kc - r, ow - ox);
          const iy = oy * sh - pt + fr;
          let ix = ox * sw - pl + fc;
          // Wraps below x when ix < 0; only read once ix is inside.
          let src = x + <usize>((((b * h + iy) * w + ix) * ci + c) * 4);
          const rowIn = iy >= 0 && iy < h;
          if (vec) {
            for (let i = 0; i < run; i++) {
              if (rowIn && ix >= 0 && ix < w) v128.store(dst, v128.load(src));
              else v128.store(dst, i32x4.splat(0));
              ix += sw;
              src += srcStep;
              dst += 16;
            }
          } else {
            for (let i = 0; i < run; i++) {
              if (rowIn && ix >= 0 && ix < w) store<f32>(dst, load<f32>(src));
              else store<f32>(dst, 0);
              ix += sw;
              src += srcStep;
              dst += 16;
            }
          }
          r += run;
          ox += run;
          if (ox == ow) {
            ox = 0;
            if (++oy == oh) {
              oy = 0;
              b++;
            }
          }
        }
      }
    }
  }
}

/**
 * {@link im2colPanels} for one input channel at horizontal stride 1: a
 * panel's four taps of four adjacent pixels in a row are four runs of X
 * (zeros in the padding), transposed in registers into the four pixels' slots;
 * pixels left over at the end of a row or of the block go one by one. The
 * unused taps of the last panel read a row far above the image: zero.
 */
function im2colRuns(
  x: usize, p0: i32, kc: i32, pa: usize,
  h: i32, w: i32, oh: i32, ow: i32, fw: i32, sh: i32, pt: i32, pl: i32, taps: i32,
): void {
  const above = -(1 << 24);
  const ox0 = p0 % ow;
  const oy0 = (p0 / ow) % oh;
  const b0 = p0 / (ow * oh);
  for (let t0 = 0; t0 < taps; t0 += 4) {
    const r0 = t0 / fw, c0 = t0 % fw;
    const r1 = t0 + 1 < taps ? (t0 + 1) / fw : above, c1 = (t0 + 1) % fw;
    const r2 = t0 + 2 < taps ? (t0 + 2) / fw : above, c2 = (t0 + 2) % fw;
    const r3 = t0 + 3 < taps ? (t0 + 3) / fw : above, c3 = (t0 + 3) % fw;
    let dst = pa + <usize>(t0 >> 2) * <usize>kc * 16;
    let ox = ox0, oy = oy0, b = b0;
    for (let r = 0; r < kc;) {
      const run = min(kc - r, ow - ox);
      const iy = oy * sh - pt;
      let i = 0;
      for (; i + 4 <= run; i += 4) {
        const ix = ox + i - pl;
        const v0 = tapRun(x, b, iy + r0, ix + c0, h, w), v1 = tapRun(x, b, iy + r1, ix + c1, h, w);
        const v2 = tapRun(x, b, iy + r2, ix + c2, h, w), v3 = tapRun(x, b, iy + r3, ix + c3, h, w);
        const t01 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t23 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
        const u01 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7), u23 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(t01, t23, 0, 1, 4, 5));
        v128.store(dst, v128.shuffle<f32>(t01, t23, 2, 3, 6, 7), 16);
        v128.store(dst, v128.shuffle<f32>(u01, u23, 0, 1, 4, 5), 32);
        v128.store(dst, v128.shuffle<f32>(u01, u23, 2, 3, 6, 7), 48);
        dst += 64;
      }
      for (; i < run; i++) {
        const ix = ox + i - pl;
        store<f32>(dst, tapAt(x, b, iy + r0, ix + c0, h, w));
        store<f32>(dst, tapAt(x, b, iy + r1, ix + c1, h, w), 4);
        store<f32>(dst, tapAt(x, b, iy + r2, ix + c2, h, w), 8);
        store<f32>(dst, tapAt(x, b, iy + r3, ix + c3, h, w), 12);
        dst += 16;
      }
      r += run;
      ox += run;
      if (ox == ow) {
        ox = 0;
        if (++oy == oh) {
          oy = 0;
          b++;
        }
      }
    }
  }
}
