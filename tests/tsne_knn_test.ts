/** The SIMD brute-force kNN kernel returns exactly what a direct search does, on one thread or several. */
import { assertAllClose, assertEquals, assertRejects } from "./_assert.ts";
import { bruteForceNeighbors, clusters } from "./_tsne_fixtures.ts";
import { nearestNeighbors } from "../src/tsne/knn.ts";
import { startWorkers, stopWorkers } from "../src/tsne/_kernels.ts";

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

Deno.test("kNN rejects k outside [1, n - 1]", async () => {
  await assertRejects(() => nearestNeighbors(new Float32Array(8), 2, { k: 4 }), "k = 4", "[1, 3]");
});
