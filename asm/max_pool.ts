// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory
// MaxPool (NHWC) for 2x2 windows at stride 2 that tile the input, c a
// multiple of 4: the conv autoencoders' pooling. Each output is
// best = (v > best) ? v : best over the window from -inf, the cpu backend's
// rule and the one MaxPoolGrad recomputes; f32x4.pmax is exactly that step.

/** Writes Y (rows x ow x c) from X (2 rows x 2 ow x c per output row); rows = batch * oh. */
export function maxPool2x2(x: usize, y: usize, rows: i32, ow: i32, c: i32): void {
  const px = <usize>c * 4;
  const inRow = px * <usize>(2 * ow);
  const low = f32x4.splat(-Infinity);
  let out = y;
  for (let r = 0; r < rows; r++) {
    const top = x + <usize>r * 2 * inRow;
    for (let o: usize = 0; o < <usize>ow * px; o += px) {
      const a = top + 2 * o, b = a + px, d = a + inRow, e = d + px;
      for (let ch: usize = 0; ch < px; ch += 16) {
        let best = f32x4.pmax(low, v128.load(a + ch));
        best = f32x4.pmax(best, v128.load(b + ch));
        best = f32x4.pmax(best, v128.load(d + ch));
        v128.store(out, f32x4.pmax(best, v128.load(e + ch)));
        out += 16;
      }
    }
  }
}
