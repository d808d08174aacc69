// deno-fmt-ignore-file: AssemblyScript, kept as written.
// The matrix-product core of the training kernels: a 4x8 register tile of
// f32x4 accumulators over packed operands, and strided packing.
//
// The training kernels are built with --importMemory and run on
// tfjs-backend-wasm's own heap: the host passes the addresses of the tensors
// and of a work area it allocated there, and no kernel ever grows the memory
// (tfjs's allocator owns it).
//
// Packed layouts (GotoBLAS): A in panels of 4 rows, each panel kc x 4 with the
// 4 row values of one reduction step adjacent; B in panels of 8 columns, kc x 8.
// The tile then reads 16 + 32 contiguous bytes per reduction step: one vector
// load of A, splat four ways, and 2 vector loads of B feed 8 fused
// multiply-adds (relaxed SIMD), with 8 accumulators + 4 operands inside x64's
// 16 vector registers.

/** Rows of an A panel. */
export const MR: i32 = 4;
/** Columns of a B panel. */
export const NR: i32 = 8;

/** Rounds an address up to 64 bytes. */
export function align64(p: usize): usize {
  return (p + 63) & ~(<usize>63);
}

/**
 * C[i, j] (+)= sum over r < kc of a[r * 4 + i] * B[r, j] for the 4x8 tile at
 * `c`, whose rows are `ldc` bytes apart; row r of B is 8 floats at
 * b + r * ldb (32 for a packed panel); `add` keeps C's old values. With
 * `steps` (a panel {@link skipZeroSteps} compacted), step r of A is B's row
 * at byte offset steps[r] instead. The epilogue of a fused layer runs on the
 * sums before they are stored, as a pass over C would after: `bias` (8
 * floats; none when 0) added to each row, then ReLU when `relu`.
 */
export function tile4x8(
  kc: i32, a: usize, b: usize, ldb: usize, c: usize, ldc: usize, add: bool, steps: usize = 0,
  bias: usize = 0, relu: bool = false,
): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  // Two loops: one loop choosing the row of B inside ran a dense A's product
  // 0.74-0.91x as fast.
  if (steps) {
    for (let r = 0; r < kc; r++) {
      const row = b + <usize>load<u32>(steps);
      const b0 = v128.load(row);
      const b1 = v128.load(row, 16);
      const av = v128.load(a);
      let x = i32x4.shuffle(av, av, 0, 0, 0, 0);
      c0 = f32x4.relaxed_madd(x, b0, c0);
      c1 = f32x4.relaxed_madd(x, b1, c1);
      x = i32x4.shuffle(av, av, 1, 1, 1, 1);
      c2 = f32x4.relaxed_madd(x, b0, c2);
      c3 = f32x4.relaxed_madd(x, b1, c3);
      x = i32x4.shuffle(av, av, 2, 2, 2, 2);
      c4 = f32x4.relaxed_madd(x, b0, c4);
      c5 = f32x4.relaxed_madd(x, b1, c5);
      x = i32x4.shuffle(av, av, 3, 3, 3, 3);
      c6 = f32x4.relaxed_madd(x, b0, c6);
      c7 = f32x4.relaxed_madd(x, b1, c7);
      a += 16;
      steps += 4;
    }
  } else {
    for (let r = 0; r < kc; r++) {
      const b0 = v128.load(b);
      const b1 = v128.load(b, 16);
      // One load of A's four values, splat by shuffles: Deno runs Wasm without
      // V8's trap handler, so every load carries a bounds check, and four
      // splat loads per step cost more than the shuffles (measured 1.5x).
      const av = v128.load(a);
      let x = i32x4.shuffle(av, av, 0, 0, 0, 0);
      c0 = f32x4.relaxed_madd(x, b0, c0);
      c1 = f32x4.relaxed_madd(x, b1, c1);
      x = i32x4.shuffle(av, av, 1, 1, 1, 1);
      c2 = f32x4.relaxed_madd(x, b0, c2);
      c3 = f32x4.relaxed_madd(x, b1, c3);
      x = i32x4.shuffle(av, av, 2, 2, 2, 2);
      c4 = f32x4.relaxed_madd(x, b0, c4);
      c5 = f32x4.relaxed_madd(x, b1, c5);
      x = i32x4.shuffle(av, av, 3, 3, 3, 3);
      c6 = f32x4.relaxed_madd(x, b0, c6);
      c7 = f32x4.relaxed_madd(x, b1, c7);
      a += 16;
      b += ldb;
    }
  }
  if (add) {
    c0 = f32x4.add(c0, v128.load(c));
    c1 = f32x4.add(c1, v128.load(c, 16));
    c2 = f32x4.add(c2, v128.load(c + ldc));
    c3 = f32x4.add(c3, v128.load(c + ldc, 16));
    c4 = f32x4.add(c4, v128.load(c + 2 * ldc));
    c5 = f32x4.add(c5, v128.load(c + 2 * ldc, 16));
    c6 = f32x4.add(c6, v128.load(c + 3 * ldc));
    c7 = f32x4.add(c7, v128.load(c + 3 * ldc, 16));
  }
  if (bias) {
    const b0 = v128.load(bias), b1 = v128.load(bias, 16);
    c0 = f32x4.add(c0, b0);
    c1 = f32x4.add(c1, b1);
    c2 = f32x4.add(c2, b0);
    c3 = f32x4.add(c3, b1);
    c4 = f32x4.add(c4, b0);
    c5 = f32x4.add(c5, b1);
    c6 = f32x4.add(c6, b0);
    c7 = f32x4.add(c7, b1);
  }
  if (relu) {
    const zero = f32x4.splat(0);
    c0 = f32x4.max(c0, zero);
    c1 = f32x4.max(c1, zero);
    c2 = f32x4.max(c2, zero);
    c3 = f32x4.max(c3, zero);
    c4 = f32x4.max(c4, zero);
    c5 = f32x4.max(c5, zero);
    c6 = f32x4.max(c6, zero);
    c7 = f32x4.max(c7, zero);
  }
  v128.store(c, c0);
  v128.store(c, c1, 16);
  v128.store(c + ldc, c2);
  v128.store(c + ldc, c3, 16);
  v128.store(c + 2 * ldc, c4);
  v128.store(c + 2 * ldc, c5, 16);
  v128.store(c + 3 * ldc, c6);
  v128.store(c + 3 * ldc, c7, 16);
}

/**
 * A tile of which only `rows` x `cols` lie inside C: computed into `tmp`
 * (128 bytes), then the valid part stored or added, with the epilogue of
 * {@link tile4x8} (`bias` holds `cols` floats).
 */
export function tileEdge(
  kc: i32, a: usize, b: usize, ldb: usize, c: usize, ldc: usize, add: bool, rows: i32, cols: i32,
  tmp: usize, steps: usize = 0, bias: usize = 0, relu: bool = false,
): void {
  if (rows == MR && cols == NR) {
    tile4x8(kc, a, b, ldb, c, ldc, add, steps, bias, relu);
    return;
  }
  tile4x8(kc, a, b, ldb, tmp, 32, false, steps);
  for (let i = 0; i < rows; i++) {
    const src = tmp + <usize>(i * 32);
    const dst = c + <usize>i * ldc;
    for (let j = 0; j < cols; j++) {
      const o = <usize>(j << 2);
      let v = add ? load<f32>(dst + o) + load<f32>(src + o) : load<f32>(src + o);
      if (bias) v += load<f32>(bias + o);
      if (relu) v = max(v, 0);
      store<f32>(dst + o, v);
    }
  }
}

/**
 * Transposes the 4x4 block whose rows start at `src`, `src + step`, ... into
 * rows `ld` bytes apart at `dst` (default 32: a B panel).
 */
// @ts-ignore: decorator
@inline
export function transpose4(src: usize, step: usize, dst: usize, ld: usize = 32): void {
  const a = v128.load(src), b = v128.load(src + step);
  const c = v128.load(src + 2 * step), d = v128.load(src + 3 * step);
  const ab0 = v128.shuffle<f32>(a, b, 0, 4, 1, 5);
  const ab1 = v128.shuffle<f32>(a, b, 2, 6, 3, 7);
  const cd0 = v128.shuffle<f32>(c, d, 0, 4, 1, 5);
  const cd1 = v128.shuffle<f32>(c, d, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(ab0, cd0, 0, 1, 4, 5));
  v128.store(dst + ld, v128.shuffle<f32>(ab0, cd0, 2, 3, 6, 7));
  v128.store(dst + 2 * ld, v128.shuffle<f32>(ab1, cd1, 0, 1, 4, 5));
  v128.store(dst + 3 * ld, v128.shuffle<f32>(ab1, cd1, 2, 3, 6, 7));
}

/**
 * Packs the rows x depth block of A (element [i, r] at src + 4 * (i * rs + r * cs))
 * into panels of 4 rows; rows past the end are zero.
 */
export function packA(src: usize, rs: i32, cs: i32, rows: i32, depth: i32, dst: usize): void {
  const panelBytes = <usize>(depth * 16);
  let i0 = 0;
  if (rs == 1) {
    // Column-major A (A^T B): step r's values of every panel are adjacent, so
    // each step is read along its whole row of memory, a cache line feeding
    // four panels (panel by panel, every step would fetch a line for 16 bytes).
    const full = rows & ~(MR - 1);
    for (let r = 0; r < depth; r++) {
      const s = src + <usize>(r * cs) * 4;
      let q = dst + <usize>(r * 16);
      for (let i = 0; i < full; i += MR) {
        v128.store(q, v128.load(s + <usize>i * 4));
        q += panelBytes;
      }
    }
    i0 = full;
  } else if (cs == 1) {
    // Row-major A: four rows read along r, four at a time, transposed in registers.
    for (; i0 + MR <= rows; i0 += MR) {
      const p0 = src + <usize>(i0 * rs) * 4;
      const p1 = p0 + <usize>rs * 4;
      const p2 = p1 + <usize>rs * 4;
      const p3 = p2 + <usize>rs * 4;
      const q0 = dst + <usize>(i0 >> 2) * panelBytes;
      let r = 0;
      for (; r + 4 <= depth; r += 4) transpose4(p0 + <usize>r * 4, <usize>rs * 4, q0 + <usize>(r * 16), 16);
      for (; r < depth; r++) {
        const o = <usize>r * 4;
        const q = q0 + <usize>(r * 16);
        store<f32>(q, load<f32>(p0 + o));
        store<f32>(q, load<f32>(p1 + o), 4);
        store<f32>(q, load<f32>(p2 + o), 8);
        store<f32>(q, load<f32>(p3 + o), 12);
      }
    }
  }
  // The last, partial panel, and any A with neither stride 1.
  for (; i0 < rows; i0 += MR) {
    const n = min(MR, rows - i0);
    const q0 = dst + <usize>(i0 >> 2) * panelBytes;
    for (let r = 0; r < depth; r++) {
      const q = q0 + <usize>(r * 16);
      for (let i = 0; i < MR; i++) {
        store<f32>(q + <usize>(i * 4), i < n ? load<f32>(src + <usize>((i0 + i) * rs + r * cs) * 4) : 0);
      }
    }
  }
}

/**
 * Packs the depth x cols block of B (element [r, j] at src + 4 * (r * rs + j * cs))
 * into panels of 8 columns; columns past the end are zero.
 */
export function packB(src: usize, rs: i32, cs: i32, depth: i32, cols: i32, dst: usize): void {
  for (let j0 = 0; j0 < cols; j0 += NR) {
    const n = min(NR, cols - j0);
    if (n == NR && cs == 1) {
      for (let r = 0; r < depth; r++) {
        const p = src + <usize>(r * rs + j0) * 4;
        const q = dst + <usize>(r * 32);
        v128.store(q, v128.load(p));
        v128.store(q, v128.load(p, 16), 16);
      }
    } else if (n == NR && rs == 1) {
      // Transposed B (A B^T): eight rows of B^T read along r, 4x4 blocks transposed in registers.
      const p = src + <usize>(j0 * cs) * 4;
      const step = <usize>cs * 4;
      let r = 0;
      for (; r + 4 <= depth; r += 4) {
        const o = p + <usize>r * 4;
        const q = dst + <usize>(r * 32);
        transpose4(o, step, q);
        transpose4(o + 4 * step, step, q + 16);
      }
      for (; r < depth; r++) {
        const q = dst + <usize>(r * 32);
        for (let j = 0; j < NR; j++) store<f32>(q + <usize>(j * 4), load<f32>(p + <usize>j * step + <usize>r * 4));
      }
    } else {
      for (let r = 0; r < depth; r++) {
        const q = dst + <usize>(r * 32);
        for (let j = 0; j < NR; j++) {
          store<f32>(q + <usize>(j * 4), j < n ? load<f32>(src + <usize>(r * rs + (j0 + j) * cs) * 4) : 0);
        }
      }
    }
    dst += <usize>(depth * 32);
  }
}

/**
 * A panel runs over its nonzero steps alone when at most this share of its
 * steps remain (in 1/16ths): a kept step, with its offset to load, cost
 * 1.4-1.6x a step of the whole panel (the product of a dense 256 x 784 A
 * with every step kept, against the plain loop, in one process).
 */
export const SPARSE_SIXTEENTHS: i32 = 9;

/**
 * Copies the steps of a packed A panel (kc steps of 4 values) that are not
 * all zero to `dst`, and each one's row offset in a packed B panel (r * 32)
 * to `steps`; returns how many, or -1 when more than `most` (use the panel
 * as it is). A zero step adds 0 * b to each sum, which changes no sum when
 * every b is finite (an accumulator that starts at +0 never becomes -0 by
 * adding zeros), so the caller skips them only where {@link allFinite}
 * holds for B.
 */
export function skipZeroSteps(a: usize, kc: i32, most: i32, dst: usize, steps: usize): i32 {
  const zero = f32x4.splat(0);
  // Counted first, reading only: a dense panel stops after `most` steps.
  let kept = 0;
  for (let r = 0; r < kc; r++) {
    kept += i32(v128.any_true(f32x4.ne(v128.load(a + <usize>(r * 16)), zero)));
    if (kept > most) return -1;
  }
  kept = 0;
  for (let r = 0; r < kc; r++) {
    // Written whatever it holds, and kept by counting it: no branch to mispredict.
    const v = v128.load(a + <usize>(r * 16));
    v128.store(dst + <usize>(kept * 16), v);
    store<u32>(steps + <usize>(kept * 4), r * 32);
    kept += i32(v128.any_true(f32x4.ne(v, zero)));
  }
  return kept;
}

/** Whether the `count` floats at `p` (a multiple of 4) are all finite. */
export function allFinite(p: usize, count: i32): bool {
  const zero = f32x4.splat(0);
  // x - x is 0 for a finite x and NaN for an infinity or a NaN.
  let ok = i32x4.splat(-1);
  for (let i = 0; i < count; i += 4) {
    const v = v128.load(p + <usize>(i * 4));
    ok = v128.and(ok, f32x4.eq(f32x4.sub(v, v), zero));
  }
  return i32x4.all_true(ok);
}

