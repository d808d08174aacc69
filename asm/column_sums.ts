// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory
// Column sums of a row-major matrix: the bias gradients of dense and conv
// layers (tfjs Sum over every axis but the last). Rows are added four columns
// at a time into an L1-resident partial sum, which is folded into the total
// every BLOCK rows so that rounding grows with BLOCK + rows / BLOCK, not rows.

const BLOCK: i32 = 256;

/**
 * out[c] = sum over r < rows of x[r * ld + c] for c < cols, with `work` (cols
 * floats) for the partial sums. Each column is summed on its own, so a call
 * over a range of columns (x and out moved along, ld the whole row) gives
 * the sums of one call over all.
 */
export function columnSums(x: usize, out: usize, work: usize, rows: i32, cols: i32, ld: i32): void {
  const bytes = <usize>cols * 4;
  const stride = <usize>ld * 4;
  const partial = work;
  memory.fill(out, 0, bytes);
  const c4 = <usize>(cols & ~3) * 4;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    memory.fill(partial, 0, bytes);
    const r1 = min(rows, r0 + BLOCK);
    let row = x + <usize>r0 * stride;
    for (let r = r0; r < r1; r++) {
      let o: usize = 0;
      for (; o < c4; o += 16) v128.store(partial + o, f32x4.add(v128.load(partial + o), v128.load(row + o)));
      for (; o < bytes; o += 4) store<f32>(partial + o, load<f32>(partial + o) + load<f32>(row + o));
      row += stride;
    }
    let o: usize = 0;
    for (; o < c4; o += 16) v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(partial + o)));
    for (; o < bytes; o += 4) store<f32>(out + o, load<f32>(out + o) + load<f32>(partial + o));
  }
}
