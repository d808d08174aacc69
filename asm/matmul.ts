// deno-fmt-ignore-file: AssemblyScript, kept as written.
// asc-flags: --importMemory --enable relaxed-simd
// Batched matrix product C = op(A) op(B) with either operand transposed, as
// tfjs's BatchMatMul: the products of dense layers' gradients (A^T B for the
// weights, A B^T for the inputs) and their forward pass.
//
// Blocked for the cache: a kc-deep slab of B (nc columns, KC x NC floats =
// 512 KiB, in L2) is packed once and swept by mc-row slabs of A (MC x KC =
// 128 KiB); each 8-column panel of B (8 KiB) stays in L1 while the 4-row
// panels of A stream past it. The steps where a panel's four rows of A are
// all zero (MNIST's pixels are 81 % zeros, ReLU's outputs often half) add
// nothing and are left out of it, where that pays (_gemm's skipZeroSteps).

import { MR, NR, SPARSE_SIXTEENTHS, align64, allFinite, packA, packB, skipZeroSteps, tileEdge } from "./_gemm";

const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 512;

/** The block size <= most, a multiple of `unit`, that splits `size` into equal blocks. */
function evenStep(size: i32, most: i32, unit: i32): i32 {
  const blocks = max(1, (size + most - 1) / most);
  const step = (size + blocks - 1) / blocks;
  return min(most, (step + unit - 1) / unit * unit);
}

/** Bytes of work area {@link matmul} needs. */
export function matmulWork(): usize {
  return <usize>(MC * KC * 4 * 2 + KC * NC * 4 + 128 + MC * KC + MC + 64);
}

/**
 * Rows [i0, i1) and columns [j0, j1) of C[b] = op(A[b % batchA]) op(B[b % batchB])
 * for b < batch, with op(A) m x k and op(B) k x n; A is stored k x m when
 * `transA`, B n x k when `transB`; then, for a fused layer, `bias` (n floats;
 * none when 0) added to every row and ReLU when `relu`, in the tiles of the
 * last block over k: the sums a pass over C would take, without the pass. The
 * blocks over k do not depend on the rows and columns, so threads that each
 * take a block of C compute every element exactly as one thread taking all of
 * it would.
 */
export function matmul(
  a: usize, b: usize, c: usize, work: usize, batch: i32, batchA: i32, batchB: i32,
  m: i32, n: i32, k: i32, transA: bool, transB: bool, i0: i32, i1: i32, j0: i32, j1: i32,
  bias: usize, relu: bool,
): void {
  const pa = align64(work);
  const pb = pa + <usize>(MC * KC * 4);
  const tmp = pb + <usize>(KC * NC * 4);
  // A's panels without their zero steps, the offsets of the kept steps, and
  // their count (-1: the panel runs whole).
  const sparse = tmp + 128;
  const steps = sparse + <usize>(MC * KC * 4);
  const kept = steps + <usize>(MC * KC);
  const rsA = transA ? 1 : k, csA = transA ? m : 1;
  const rsB = transB ? 1 : n, csB = transB ? k : 1;
  const ldc = <usize>n * 4;
  // Equal blocks (784 = 4 x 196, not 3 x 256 + 16): no short block wasting a pass.
  const kcStep = evenStep(k, KC, 1);
  const mcStep = evenStep(i1 - i0, MC, MR);
  const ncStep = evenStep(j1 - j0, NC, NR);
  for (let bi = 0; bi < batch; bi++) {
    const a0 = a + <usize>(bi % batchA) * m * k * 4;
    const b0 = b + <usize>(bi % batchB) * k * n * 4;
    const c0 = c + <usize>bi * m * n * 4;
    if (k == 0) {
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          const v = bias ? load<f32>(bias + <usize>j * 4) : 0;
          store<f32>(c0 + <usize>(i * n + j) * 4, relu ? max(v, 0) : v);
        }
      }
    }
    for (let jc = j0; jc < j1; jc += ncStep) {
      const nc = min(ncStep, j1 - jc);
      for (let pc = 0; pc < k; pc += kcStep) {
        const kc = min(kcStep, k - pc);
        const last = pc + kc == k;
        packB(b0 + <usize>(pc * rsB + jc * csB) * 4, rsB, csB, kc, nc, pb);
        // Zero steps of A are skipped only where they add nothing (B finite), and
        // where a panel runs at least 4 tiles, to pay for its copy without them.
        const skip = nc >= 4 * NR && allFinite(pb, kc * ((nc + NR - 1) & ~(NR - 1)));
        for (let ic = i0; ic < i1; ic += mcStep) {
          const mc = min(mcStep, i1 - ic);
          packA(a0 + <usize>(ic * rsA + pc * csA) * 4, rsA, csA, mc, kc, pa);
          for (let i = 0; i < mc; i += MR) {
            const count = skip
              ? skipZeroSteps(
                pa + <usize>(i * kc * 4), kc, kc * SPARSE_SIXTEENTHS / 16, sparse + <usize>(i * kc * 4),
                steps + <usize>(i * kc),
              )
              : -1;
            store<i32>(kept + <usize>i, count);
          }
          for (let j = 0; j < nc; j += NR) {
            const bp = pb + <usize>(j * kc * 4);
            const cols = min(NR, nc - j);
            for (let i = 0; i < mc; i += MR) {
              const count = load<i32>(kept + <usize>i);
              tileEdge(
                count < 0 ? kc : count, (count < 0 ? pa : sparse) + <usize>(i * kc * 4), bp, 32,
                c0 + <usize>(ic + i) * ldc + <usize>(jc + j) * 4, ldc, pc > 0, min(MR, mc - i), cols, tmp,
                count < 0 ? 0 : steps + <usize>(i * kc), last && bias ? bias + <usize>(jc + j) * 4 : 0,
                last && relu,
              );
            }
          }
        }
      }
    }
  }
}
