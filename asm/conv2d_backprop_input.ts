// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Conv2DBackpropInput (NHWC, dilation 1): the input gradient of a convolution,
// which is also the forward pass of a transposed convolution,
//   dX[b, y*sh + fr - pt, x*sw + fc - pl, ci] += sum over co of dY[b, y, x, co] * W[fr, fc, ci, co].
// For a block of MC output pixels, G = dY_block W^T (MC x fh*fw*ci) is one
// matrix product with W packed once per call; G's rows are then added into dX
// at their taps (col2im), while the block is still in cache.

import { MR, NR, align64, packA, packB, tile4x8 } from "./_gemm";

const MC: i32 = 64;

/** Bytes of work area {@link conv2dBackpropInput} needs for `taps` = fh*fw*ci and `co`. */
export function conv2dBackpropInputWork(taps: i32, co: i32): usize {
  const cols = (taps + NR - 1) / NR * NR;
  return <usize>(cols * co * 4 + MC * co * 4 + MC * cols * 4 + 3 * 64);
}

/** Writes dX (b x h x w x ci) from dY (b x oh x ow x co) and W (fh x fw x ci x co). */
export function conv2dBackpropInput(
  dy: usize, filter: usize, dx: usize, work: usize,
  batch: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const taps = fh * fw * ci;
  const cols = (taps + NR - 1) / NR * NR;
  const pb = align64(work);
  const pa = align64(pb + <usize>cols * co * 4);
  const g = align64(pa + <usize>(MC * co * 4));
  memory.fill(dx, 0, <usize>batch * h * w * ci * 4);
  // W as the k x n operand W^T: element [co, tap] at W + (tap * co + co) * 4.
  packB(filter, 1, co, co, taps, pb);
  const pixels = batch * oh * ow;
  const ldg = <usize>cols * 4;
  for (let p0 = 0; p0 < pixels; p0 += MC) {
    const mc = min(MC, pixels - p0);
    packA(dy + <usize>p0 * co * 4, co, 1, mc, co, pa);
    for (let j = 0; j < cols; j += NR) {
      const bp = pb + <usize>(j * co * 4);
      for (let i = 0; i < mc; i += MR) {
        tile4x8(co, pa + <usize>(i * co * 4), bp, 32, g + <usize>i * ldg + <usize>j * 4, ldg, false);
      }
    }
    col2im(g, ldg, p0, mc, dx, h, w, ci, oh, ow, fh, fw, sh, sw, pt, pl);
  }
}

/** Adds row r of G (the taps of output pixel p0 + r) into dX. */
function col2im(
  g: usize, ldg: usize, p0: i32, mc: i32, dx: usize,
  h: i32, w: i32, ci: i32, oh: i32, ow: i32, fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const vec = (ci & 3) == 0;
  let ox = p0 % ow;
  let oy = (p0 / ow) % oh;
  let b = p0 / (ow * oh);
  for (let r = 0; r < mc; r++) {
    const row = g + <usize>r * ldg;
    const y0 = oy * sh - pt;
    const x0 = ox * sw - pl;
    for (let fr = 0; fr < fh; fr++) {
      const iy = y0 + fr;
      if (iy < 0 || iy >= h) continue;
      for (let fc = 0; fc < fw; fc++) {
        const ix = x0 + fc;
        if (ix < 0 || ix >= w) continue;
        const src = row + <usize>((fr * fw + fc) * ci) * 4;
        const dst = dx + <usize>(((b * h + iy) * w + ix) * ci) * 4;
        if (vec) {
          for (let c = 0; c < ci; c += 4) {
            const o = <usize>c * 4;
            v128.store(dst + o, f32x4.add(v128.load(dst + o), v128.load(src + o)));
          }
        } else {
          for (let c = 0; c < ci; c++) {
            const o = <usize>c * 4;
            store<f32>(dst + o, load<f32>(dst + o) + load<f32>(src + o));
          }
        }
      }
    }
    if (++ox == ow) {
      ox = 0;
      if (++oy == oh) {
        oy = 0;
        b++;
      }
    }
  }
}
