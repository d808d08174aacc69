/** The SIMD brute-force kNN kernel returns exactly what a direct search does, on one thread or several. */
import { assertAllClose, assertEquals, assertRejects } from "./_assert.ts";
import { bruteForceNeighbors, clusters } from "./_tsne_fixtures.ts";
import { nearestNeighbors } from "../src/tsne/knn.ts";
import { startWorkers, stopWorkers } from "../src/tsne/_kernels.ts";
import { mulberry32 } from "../src/tsne/initialization.ts";

for (const [n, dims, k] of [[203, 7, 15], [64, 4, 63], [150, 50, 30]]) {
  Deno.test(`kNN of ${n} x ${dims}, k = ${k}, equals brute force (1 and 2 threads)`, async () => {
    const { data } = clusters(n, dims, 5, n);
    const expected = bruteForceNeighbors(data, dims, k);
    const workers = await startWorkers(1);
    try {
      for (const w of [[], workers]) {
        const got = await nearestNeighbors(data, dims, { k, workers: w });
        for (let i = 0; i < n; i++) {
          const row = [...got.indices.subarray(i * k, (i + 1) * k)];
          assertEquals(row, expected.indices[i], `row ${i} with ${w.length} workers`);
          assertAllClose(got.distances.subarray(i * k, (i + 1) * k), expected.distances[i], {
            rel: 1e-5,
            abs: 1e-5,
          });
        }
      }
    } finally {
      stopWorkers(workers);
    }
  });
}

// Larger than the kernel's candidate block (512 rows), with a tail of 3 rows.
// Candidates are ranked by |a|^2 + |b|^2 - 2 a.b in f32, whose rounding is
// relative to the norms (here tens of times the distances): where the k-th and
// the next f64 distances differ by under 1e-4 they may swap, so the test
// allows such swaps, in at most one row of a hundred.
Deno.test("kNN of 1203 x 50, k = 30, over several candidate blocks, is brute force up to f32 near-ties", async () => {
  const [n, dims, k] = [1203, 50, 30];
  // Spreads that shrink column by column, like principal axes, so that the
  // partial-distance test skips most tiles. (In a fixture whose consecutive
  // rows cycle through clusters, every tile holds near candidates of every
  // row and none is skipped.)
  const next = mulberry32(n);
  const data = Float32Array.from({ length: n * dims }, (_, t) => 10 * 0.85 ** (t % dims) * next());
  const expected = bruteForceNeighbors(data, dims, k + 1);
  const workers = await startWorkers(1);
  try {
    for (const w of [[], workers]) {
      const got = await nearestNeighbors(data, dims, { k, workers: w });
      let swapped = 0;
      for (let i = 0; i < n; i++) {
        const row = new Set(got.indices.subarray(i * k, (i + 1) * k));
        const [kth, next] = [expected.distances[i][k - 1], expected.distances[i][k]];
        for (let s = 0; s < k; s++) {
          const tie = expected.distances[i][s] > kth * (1 - 1e-4);
          if (!row.has(expected.indices[i][s])) {
            if (!tie || (next - kth) > kth * 1e-4) {
              throw new Error(`row ${i}: missing ${expected.indices[i][s]}`);
            }
            swapped++;
          }
        }
        assertAllClose(
          got.distances.subarray(i * k, (i + 1) * k),
          expected.distances[i].slice(0, k),
          {
            rel: 1e-4,
            abs: 1e-5,
          },
        );
      }
      assertEquals(swapped < n / 100, true, `${swapped} near-tie swaps with ${w.length} workers`);
    }
  } finally {
    stopWorkers(workers);
  }
});

Deno.test("kNN rejects k outside [1, n - 1]", async () => {
  await assertRejects(() => nearestNeighbors(new Float32Array(8), 2, { k: 4 }), "k = 4", "[1, 3]");
});
