/** PCA recovers a known spectrum and basis, and projects as (x - mean) V^T. */
import { assert, assertAllClose, assertClose, assertEquals } from "./_assert.ts";
import { multiplyReference, sparseGramReference } from "./_tsne_fixtures.ts";
import { pcaKernel } from "../src/tsne/_kernels.ts";
import { pca, SPARSE_SHARE } from "../src/tsne/pca.ts";
import { mulberry32 } from "../src/tsne/initialization.ts";

// Data with independent columns of standard deviations sd(c), rotated by an orthonormal basis.
function rotated(n: number, d: number, sd: (c: number) => number, seed: number) {
  const next = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  const basis: number[][] = [];
  while (basis.length < d) {
    const v = Array.from({ length: d }, normal);
    for (const b of basis) {
      const dot = v.reduce((s, x, a) => s + x * b[a], 0);
      for (let a = 0; a < d; a++) v[a] -= dot * b[a];
    }
    const norm = Math.hypot(...v);
    basis.push(v.map((x) => x / norm));
  }
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: d }, (_, c) => sd(c) * normal());
    for (let a = 0; a < d; a++) data[i * d + a] = 3 + basis.reduce((s, b, c) => s + z[c] * b[a], 0);
  }
  return { data, basis };
}

for (const [d, k] of [[6, 2], [90, 5]]) {
  Deno.test(`pca of ${d} columns finds the top ${k} directions and variances`, () => {
    const n = 4000;
    // Clear gaps between the top k, then a flat tail.
    const sd = (c: number) => c < k ? 5 * (k - c) + 5 : 1 + (c % 3) / 2;
    const { data, basis } = rotated(n, d, sd, d);
    const { projected, components, variances, mean } = pca(data, d, { components: k });
    for (let c = 0; c < k; c++) {
      const dot = basis[c].reduce((s, x, a) => s + x * components[c * d + a], 0);
      assert(
        Math.abs(Math.abs(dot) - 1) < 0.01,
        `component ${c} aligned with the basis: |dot| = ${dot}`,
      );
      // Sampling noise: the variance estimate is within a few percent of (d - c)^2.
      assertClose(variances[c] / sd(c) ** 2, 1, 0.1, `variance ${c}`);
    }
    for (let a = 0; a < d; a++) assertClose(mean[a], 3, 0.5);
    const row = 17;
    const expected = Array.from({ length: k }, (_, c) => {
      let s = 0;
      for (let a = 0; a < d; a++) s += (data[row * d + a] - mean[a]) * components[c * d + a];
      return s;
    });
    assertAllClose(projected.subarray(row * k, (row + 1) * k), expected, { rel: 1e-4, abs: 1e-3 });
  });
}

Deno.test("mostly-zero input (the covariance from its nonzeros) gets the components of the same data shifted off zero (the dense kernel)", () => {
  // k + 16 >= d: the eigenproblem is solved exactly, so only the covariances can differ.
  const n = 3000, d = 20, k = 4;
  const { data } = rotated(n, d, (c) => c < k ? 8 - c : 1, 7);
  // Keep a fifth of the values, as MNIST's pixels: below SPARSE_SHARE.
  const sparse = data.map((v, t) => (t * 2654435761) % 5 === 0 ? v : 0);
  const shifted = sparse.map((v) => v + 2);
  assert(sparse.filter((v) => v !== 0).length <= SPARSE_SHARE * sparse.length);
  const a = pca(sparse, d, { components: k }), b = pca(shifted, d, { components: k });
  assertAllClose(a.variances, b.variances, { rel: 1e-4, abs: 0 });
  assertAllClose(a.components, b.components, { rel: 0, abs: 1e-3 });
  assertAllClose(a.projected, b.projected, { rel: 1e-3, abs: 1e-3 });
});

Deno.test("the kernel's sparse Gram matrix and f64 product equal their plain loops bit for bit", () => {
  const next = mulberry32(5);
  const [rows, dims, b] = [37, 29, 18]; // b = 18: one block of 16 columns and a pair
  const x = Float32Array.from({ length: rows * dims }, () => next() < 0.3 ? 2 * next() - 1 : 0);
  const c = Float64Array.from({ length: dims * dims }, () => next() < 0.2 ? 0 : next() - 0.5);
  const v = Float64Array.from({ length: dims * b }, () => next() - 0.5);
  const k = pcaKernel;
  k.reset();
  const xp = k.alloc(x.length * 4), sums = k.alloc(dims * dims * 8), work = k.alloc(dims * 12);
  const cp = k.alloc(c.length * 8), vp = k.alloc(v.length * 8), out = k.alloc(dims * b * 8);
  new Float32Array(k.memory.buffer, xp, x.length).set(x);
  new Float64Array(k.memory.buffer, sums, dims * dims).fill(0);
  new Float64Array(k.memory.buffer, cp, c.length).set(c);
  new Float64Array(k.memory.buffer, vp, v.length).set(v);
  k.sparseGramUpper(xp, rows, dims, sums, work);
  k.multiplyF64(cp, vp, dims, b, out);
  assertEquals([...new Float64Array(k.memory.buffer, sums, dims * dims)], [
    ...sparseGramReference(x, dims),
  ]);
  assertEquals([...new Float64Array(k.memory.buffer, out, dims * b)], [
    ...multiplyReference(c, v, dims, b),
  ]);
});
