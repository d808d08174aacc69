// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory
// MaxPoolGrad (NHWC): each window's dY goes to the first position (in row-major
// window order) holding the window's maximum, as tfjs's cpu backend decides;
// overlapping windows add up. Four channels at a time: a lane-wise running
// max and its position, then a second pass over the window adds dY in the
// lanes whose position matches. MaxPoolGrad has no dilation. When the windows
// tile the input exactly (2x2 stride 2 on an even size, the usual case), every
// position is written once, so dX needs no zeroing and no read-modify-write.
// With `relu`, X is a ReLU's output and dX goes on through that ReLU's
// gradient (dX * Step(X), as ReLU's gradient kernel multiplies it) in the
// same pass: the two kernels' result bit for bit, in one write of dX.

import { step1, step4 } from "./_simd_math";

/**
 * Writes dX (b x h x w x c) from X (b x h x w x c) and dY (b x oh x ow x c),
 * times Step(X) when `relu`.
 */
export function maxPoolGrad(
  x: usize, dy: usize, dx: usize,
  batch: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32, relu: bool,
): void {
  const tiles = sh == fh && sw == fw && pt == 0 && pl == 0 && oh * fh == h && ow * fw == w;
  if (tiles && fh == 2 && fw == 2 && (c & 3) == 0) {
    pool2x2Grad(x, dy, dx, batch * oh, ow, c, relu);
    return;
  }
  if (!tiles) memory.fill(dx, 0, <usize>batch * h * w * c * 4);
  const c4 = c & ~3;
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - pt;
      const r0 = max(0, -y0);
      const r1 = min(fh, h - y0);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - pl;
        const q0 = max(0, -x0);
        const q1 = min(fw, w - x0);
        const gOff = dy + <usize>(((b * oh + oy) * ow + ox) * c) * 4;
        for (let ch = 0; ch < c4; ch += 4) {
          let best = f32x4.splat(-Infinity);
          let where = i32x4.splat(-1);
          for (let r = r0; r < r1; r++) {
            for (let q = q0; q < q1; q++) {
              const pos = (b * h + y0 + r) * w + x0 + q;
              const v = v128.load(x + <usize>(pos * c + ch) * 4);
              const gt = f32x4.gt(v, best);
              best = v128.bitselect(v, best, gt);
              where = v128.bitselect(i32x4.splat(pos), where, gt);
            }
          }
          const g = v128.load(gOff + <usize>ch * 4);
          for (let r = r0; r < r1; r++) {
            for (let q = q0; q < q1; q++) {
              const pos = (b * h + y0 + r) * w + x0 + q;
              const p = dx + <usize>(pos * c + ch) * 4;
              const mine = v128.and(g, i32x4.eq(where, i32x4.splat(pos)));
              v128.store(p, tiles ? mine : f32x4.add(v128.load(p), mine));
            }
          }
        }
        for (let ch = c4; ch < c; ch++) {
          let best = -Infinity as f32;
          let where = -1;
          for (let r = r0; r < r1; r++) {
            for (let q = q0; q < q1; q++) {
              const pos = (b * h + y0 + r) * w + x0 + q;
              const v = load<f32>(x + <usize>(pos * c + ch) * 4);
              if (v > best) {
                best = v;
                where = pos;
              }
            }
          }
          const g = load<f32>(gOff + <usize>ch * 4);
          for (let r = r0; r < r1; r++) {
            for (let q = q0; q < q1; q++) {
              const pos = (b * h + y0 + r) * w + x0 + q;
              const p = dx + <usize>(pos * c + ch) * 4;
              const mine: f32 = pos == where ? g : 0;
              store<f32>(p, tiles ? mine : load<f32>(p) + mine);
            }
          }
        }
      }
    }
  }
  if (relu) reluMask(x, dx, batch * h * w * c);
}

/**
 * The usual case, 2x2 windows at stride 2 tiling the input, c a multiple of
 * 4: each window's four vectors are compared in order, and dY goes to the
 * first that holds the maximum (the later one wins only when strictly
 * greater), the others get 0. `rows` = batch * oh output rows of ow pixels.
 */
function pool2x2Grad(x: usize, dy: usize, dx: usize, rows: i32, ow: i32, c: i32, relu: bool): void {
  const px = <usize>c * 4;
  const zero = f32x4.splat(0);
  const inRow = px * <usize>(2 * ow);
  for (let r = 0; r < rows; r++) {
    const top = <usize>r * 2 * inRow;
    for (let o: usize = 0; o < <usize>ow * px; o += px) {
      const a = top + 2 * o, b = a + px, d = a + inRow, e = d + px;
      for (let ch: usize = 0; ch < px; ch += 16) {
        const x0 = v128.load(x + a + ch), x1 = v128.load(x + b + ch);
        const x2 = v128.load(x + d + ch), x3 = v128.load(x + e + ch);
        // best = (v > best) ? v : best, from -inf as the cpu backend starts (pmax is exactly that).
        let best = f32x4.pmax(f32x4.splat(-Infinity), x0);
        const in0 = f32x4.gt(x0, f32x4.splat(-Infinity));
        const g1 = f32x4.gt(x1, best);
        best = f32x4.pmax(best, x1);
        const g2 = f32x4.gt(x2, best);
        best = f32x4.pmax(best, x2);
        const g3 = f32x4.gt(x3, best);
        const g = v128.load(dy + <usize>r * <usize>ow * px + o + ch);
        // The last position that raised the maximum holds it first.
        const w3 = g3;
        const w2 = v128.andnot(g2, g3);
        const w1 = v128.andnot(g1, v128.or(g2, g3));
        const w0 = v128.andnot(in0, v128.or(g1, v128.or(g2, g3)));
        let d0 = v128.and(g, w0), d1 = v128.and(g, w1), d2 = v128.and(g, w2), d3 = v128.and(g, w3);
        if (relu) {
          d0 = f32x4.mul(d0, step4(x0, zero));
          d1 = f32x4.mul(d1, step4(x1, zero));
          d2 = f32x4.mul(d2, step4(x2, zero));
          d3 = f32x4.mul(d3, step4(x3, zero));
        }
        v128.store(dx + a + ch, d0);
        v128.store(dx + b + ch, d1);
        v128.store(dx + d + ch, d2);
        v128.store(dx + e + ch, d3);
      }
    }
  }
}

/** dX *= Step(X) over n values: ReLU's gradient kernel's arithmetic, after the windows have summed. */
function reluMask(x: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) v128.store(dx + o, f32x4.mul(v128.load(dx + o), step4(v128.load(x + o), zero)));
  for (; o < <usize>n * 4; o += 4) store<f32>(dx + o, load<f32>(dx + o) * step1(load<f32>(x + o), 0));
}
