// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory
// Column sums of a row-major matrix: the bias gradients of dense and conv
// layers (tfjs Sum over every axis but the last). Each column is summed down
// a block of BLOCK rows from 0, and the block's sum folded into the total, so
// that rounding grows with BLOCK + rows / BLOCK, not rows. The block's sums
// are kept in registers, a cache line of columns (four vectors) at a time:
// kept in memory, each row's add waited on the last row's store (a conv
// layer's 16 channels: 1.5 ms over 128 x 28 x 28 rows).

const BLOCK: i32 = 256;

/**
 * out[c] = sum over r < rows of x[r * ld + c] for c < cols. Each column is
 * summed on its own, so a call over a range of columns (x and out moved
 * along, ld the whole row) gives the sums of one call over all.
 */
export function columnSums(x: usize, out: usize, rows: i32, cols: i32, ld: i32): void {
  const bytes = <usize>cols * 4;
  const stride = <usize>ld * 4;
  memory.fill(out, 0, bytes);
  const lines = <usize>(cols & ~15) * 4;
  const c4 = <usize>(cols & ~3) * 4;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = min(rows, r0 + BLOCK);
    const first = x + <usize>r0 * stride;
    let o: usize = 0;
    for (; o < lines; o += 64) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let row = first + o;
      for (let r = r0; r < r1; r++) {
        s0 = f32x4.add(s0, v128.load(row));
        s1 = f32x4.add(s1, v128.load(row, 16));
        s2 = f32x4.add(s2, v128.load(row, 32));
        s3 = f32x4.add(s3, v128.load(row, 48));
        row += stride;
      }
      v128.store(out + o, f32x4.add(v128.load(out + o), s0));
      v128.store(out + o, f32x4.add(v128.load(out + o, 16), s1), 16);
      v128.store(out + o, f32x4.add(v128.load(out + o, 32), s2), 32);
      v128.store(out + o, f32x4.add(v128.load(out + o, 48), s3), 48);
    }
    for (; o < c4; o += 16) {
      let s = f32x4.splat(0);
      let row = first + o;
      for (let r = r0; r < r1; r++) {
        s = f32x4.add(s, v128.load(row));
        row += stride;
      }
      v128.store(out + o, f32x4.add(v128.load(out + o), s));
    }
    for (; o < bytes; o += 4) {
      let s: f32 = 0;
      let row = first + o;
      for (let r = r0; r < r1; r++) {
        s += load<f32>(row);
        row += stride;
      }
      store<f32>(out + o, load<f32>(out + o) + s);
    }
  }
}
