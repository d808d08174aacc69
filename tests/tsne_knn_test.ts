/** The SIMD brute-force kNN kernel returns exactly what a direct search does, on one thread or several. */
import { assertAllClose, assertEquals, assertRejects } from "./_assert.ts";
import { bruteForceNeighbors, clusters } from "./_tsne_fixtures.ts";
import { nearestNeighbors, spatialOrder } from "../src/tsne/knn.ts";
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

// Three blocks of 512 rows (the search's unit: each pair of blocks is one
// piece of work), the last short, with a tail of 3 rows past a multiple of 8.
// Candidates are ranked by |a|^2 + |b|^2 - 2 a.b in f32, whose rounding is
// relative to the norms (here tens of times the distances): where the k-th and
// the next f64 distances differ by under 1e-4 they may swap, so the test
// allows such swaps, in at most one row of a hundred. Two and three threads,
// which share out the pairs and merge their lists, give the one thread's
// answer exactly.
Deno.test("kNN of 1203 x 50, k = 30, over several blocks, is brute force up to f32 near-ties, on 1-3 threads alike", async () => {
  const [n, dims, k] = [1203, 50, 30];
  // Spreads that shrink column by column, like principal axes.
  const next = mulberry32(n);
  const data = Float32Array.from({ length: n * dims }, (_, t) => 10 * 0.85 ** (t % dims) * next());
  const expected = bruteForceNeighbors(data, dims, k + 1);
  const workers = await startWorkers(2);
  try {
    const one = await nearestNeighbors(data, dims, { k });
    for (const w of [[], workers.slice(0, 1), workers]) {
      const got = await nearestNeighbors(data, dims, { k, workers: w });
      assertEquals(got.indices, one.indices, `${w.length + 1} threads against 1`);
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

Deno.test("kNN of duplicated rows: the copies first, as near as the row itself, ties by index", async () => {
  // 12 points, each 4 times (rows p, p + 12, p + 24, p + 36): each row's 3
  // copies are at distance 0 (where the f32 ranking may give tiny negatives).
  const [points, copies, dims, k] = [12, 4, 6, 5];
  const next = mulberry32(7);
  const base = Float32Array.from({ length: points * dims }, () => 100 * next());
  const data = new Float32Array(points * copies * dims);
  for (let c = 0; c < copies; c++) data.set(base, c * points * dims);
  const expected = bruteForceNeighbors(data, dims, k);
  const workers = await startWorkers(1);
  try {
    for (const w of [[], workers]) {
      const got = await nearestNeighbors(data, dims, { k, workers: w });
      for (let i = 0; i < points * copies; i++) {
        assertEquals(
          [...got.indices.subarray(i * k, (i + 1) * k)],
          expected.indices[i],
          `row ${i}`,
        );
        assertEquals([...got.distances.subarray(i * k, i * k + 3)], [0, 0, 0], `row ${i}`);
      }
    }
  } finally {
    stopWorkers(workers);
  }
});

Deno.test("spatialOrder: a permutation whose leaves of `leaf` rows hold well-separated clusters whole", () => {
  // Four clusters of 16 rows, at the corners of a square, their rows interleaved.
  const corners = [[0, 0], [0, 100], [100, 0], [100, 100]];
  const next = mulberry32(3);
  const data = Float32Array.from(
    { length: 64 * 2 },
    (_, t) => corners[(t >> 1) % 4][t & 1] + next(),
  );
  const order = spatialOrder(data, 2, 16);
  assertEquals([...order].sort((a, b) => a - b), Array.from({ length: 64 }, (_, i) => i));
  for (let leaf = 0; leaf < 4; leaf++) {
    const clusters = new Set([...order.subarray(16 * leaf, 16 * leaf + 16)].map((i) => i % 4));
    assertEquals(clusters.size, 1, `leaf ${leaf} mixes clusters ${[...clusters]}`);
  }
});

Deno.test("kNN rejects k outside [1, n - 1]", async () => {
  await assertRejects(() => nearestNeighbors(new Float32Array(8), 2, { k: 4 }), "k = 4", "[1, 3]");
});
