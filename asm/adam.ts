// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory
// One Adam / AdamW update of a variable in a single pass over its arrays:
// tfjs spends a dozen elementwise kernels on it (src/train/optimizer.ts), each
// a full pass over memory. The arithmetic is theirs, operation for operation,
// in float32, so the results are the same to the last bit:
//   g' = g + w * gradDecay            (Adam's L2 term; skipped when 0)
//   m' = m * b1 + g' * c1
//   v' = v * b2 + g'^2 * c2
//   w' = w * weightScale - m' / (sqrt(v') / sqrtBc2 + eps) * stepSize
//                                     (AdamW's decay; skipped when 1)

/** Writes w', m', v' (n floats each) from w, g, m, v. */
export function adam(
  w: usize, g: usize, m: usize, v: usize, wOut: usize, mOut: usize, vOut: usize, n: i32,
  b1: f32, c1: f32, b2: f32, c2: f32, eps: f32, stepSize: f32, sqrtBc2: f32,
  gradDecay: f32, weightScale: f32,
): void {
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2);
  const ve = f32x4.splat(eps), vs = f32x4.splat(stepSize), vq = f32x4.splat(sqrtBc2);
  const vd = f32x4.splat(gradDecay), vw = f32x4.splat(weightScale);
  const decay = gradDecay != 0, scale = weightScale != 1;
  const n4 = <usize>(n & ~3) * 4;
  let o: usize = 0;
  for (; o < n4; o += 16) {
    const wv = v128.load(w + o);
    let gv = v128.load(g + o);
    if (decay) gv = f32x4.add(gv, f32x4.mul(wv, vd));
    const mv = f32x4.add(f32x4.mul(v128.load(m + o), vb1), f32x4.mul(gv, vc1));
    const vv = f32x4.add(f32x4.mul(v128.load(v + o), vb2), f32x4.mul(f32x4.mul(gv, gv), vc2));
    const den = f32x4.add(f32x4.div(f32x4.sqrt(vv), vq), ve);
    const base = scale ? f32x4.mul(wv, vw) : wv;
    v128.store(wOut + o, f32x4.sub(base, f32x4.mul(f32x4.div(mv, den), vs)));
    v128.store(mOut + o, mv);
    v128.store(vOut + o, vv);
  }
  for (; o < <usize>n * 4; o += 4) {
    const wv = load<f32>(w + o);
    let gv = load<f32>(g + o);
    if (decay) gv = gv + wv * gradDecay;
    const mv = load<f32>(m + o) * b1 + gv * c1;
    const vv = load<f32>(v + o) * b2 + gv * gv * c2;
    const den = Mathf.sqrt(vv) / sqrtBc2 + eps;
    store<f32>(wOut + o, (scale ? wv * weightScale : wv) - mv / den * stepSize);
    store<f32>(mOut + o, mv);
    store<f32>(vOut + o, vv);
  }
}
