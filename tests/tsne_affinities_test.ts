/** Perplexity calibration hits the target entropy; P is symmetric, normalised, and what the formula says. */
import { assert, assertClose, assertEquals } from "./_assert.ts";
import { clusters } from "./_tsne_fixtures.ts";
import { conditionalProbabilities, jointProbabilities } from "../src/tsne/affinities.ts";
import { nearestNeighbors } from "../src/tsne/knn.ts";

const { data } = clusters(300, 10, 4, 3);
const neighbors = await nearestNeighbors(data, 10, { k: 60 });

for (const perplexity of [5, 19.5]) {
  Deno.test(`calibrated rows have entropy log(${perplexity}) within 1e-5`, () => {
    const { p, beta } = conditionalProbabilities(neighbors, { perplexity });
    const { n, k, distances } = neighbors;
    for (let i = 0; i < n; i++) {
      let sum = 0, entropy = 0;
      for (let j = 0; j < k; j++) {
        const v = p[i * k + j];
        sum += v;
        if (v > 0) entropy -= v * Math.log(v);
      }
      assertClose(sum, 1, 1e-12, `row ${i} sums to 1`);
      assertClose(entropy, Math.log(perplexity), 1e-5, `row ${i} entropy`);
      // The row is the Gaussian kernel with its beta.
      const w = Array.from({ length: k }, (_, j) => Math.exp(-beta[i] * distances[i * k + j]));
      const total = w.reduce((a, b) => a + b, 0);
      assertClose(p[i * k + 3], w[3] / total, 1e-9, `row ${i} is exp(-beta d) normalised`);
    }
  });
}

Deno.test("joint P is symmetric, sums to 1 and equals (p_j|i + p_i|j) / 2n", () => {
  const perplexity = 15;
  const P = jointProbabilities(neighbors, { perplexity });
  const { p } = conditionalProbabilities(neighbors, { perplexity });
  const { n, k, indices } = neighbors;
  const dense = new Float64Array(n * n), cond = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let e = P.rowPtr[i]; e < P.rowPtr[i + 1]; e++) {
      assertEquals(dense[i * n + P.cols[e]], 0, `entry (${i}, ${P.cols[e]}) appears once`);
      dense[i * n + P.cols[e]] = P.vals[e];
    }
    for (let j = 0; j < k; j++) cond[i * n + indices[i * k + j]] = p[i * k + j];
  }
  let total = 0, plogp = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const v = dense[i * n + j];
      total += v;
      if (v > 0) plogp += v * Math.log(v);
      assertClose(v, dense[j * n + i], 1e-9, `symmetric at (${i}, ${j})`);
      assertClose(v, (cond[i * n + j] + cond[j * n + i]) / (2 * n), 1e-8, `value at (${i}, ${j})`);
    }
  }
  assertClose(total, 1, 1e-5);
  assertClose(P.plogp, plogp, 1e-6);
  assert(P.cols.length >= n * k && P.cols.length <= 2 * n * k);
});
