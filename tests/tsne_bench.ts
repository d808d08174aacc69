/**
 * `deno bench tests/tsne_bench.ts`: the t-SNE kernels against plain
 * TypeScript doing the same work, side by side in one run: the exact kNN of
 * 2,000 x 50 points, and one force evaluation (repulsion and attraction)
 * of 5,000 points: direct O(n^2) TypeScript, the exact SIMD kernel, the
 * Barnes-Hut kernel on 1 and 2 threads, and at the initialisation's scale
 * with and without the expansions of small nodes; and PCA's two products on
 * MNIST-like rows (2,048 x 784, 19 % nonzero; a 784 x 784 covariance times
 * 66 vectors), plain loops against the kernel.
 */
import {
  bruteForceNeighbors,
  clusters,
  multiplyReference,
  sparseGramReference,
} from "./_tsne_fixtures.ts";
import { mulberry32 } from "../src/tsne/initialization.ts";
import { pcaKernel } from "../src/tsne/_kernels.ts";
import { jointProbabilities } from "../src/tsne/affinities.ts";
import { GradientState } from "../src/tsne/gradient.ts";
import { nearestNeighbors } from "../src/tsne/knn.ts";
import { startWorkers } from "../src/tsne/_kernels.ts";
import { tsne } from "../src/tsne/tsne.ts";

const knnInput = clusters(2000, 50, 10, 1).data;
Deno.bench("kNN 2000 x 50, k = 91: TypeScript", { group: "knn", baseline: true }, () => {
  bruteForceNeighbors(knnInput, 50, 91);
});
Deno.bench("kNN 2000 x 50, k = 91: wasm SIMD", { group: "knn" }, async () => {
  await nearestNeighbors(knnInput, 50, { k: 91 });
});

// A mid-optimisation embedding of 5,000 clustered points.
const n = 5000;
const { data } = clusters(n, 20, 10, 2);
const P = jointProbabilities(await nearestNeighbors(data, 20, { k: 91 }), { perplexity: 30 });
const { embedding } = await tsne(data, { dims: 20, iterations: 300, threads: 1 });

function forcesTs(y: Float32Array): number {
  const f = new Float64Array(2 * n);
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let e = P.rowPtr[i]; e < P.rowPtr[i + 1]; e++) {
      const j = P.cols[e], dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
      const pw = P.vals[e] / (1 + dx * dx + dy * dy);
      f[2 * i] -= pw * dx;
      f[2 * i + 1] -= pw * dy;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
      const w = 1 / (1 + dx * dx + dy * dy);
      z += w;
      f[2 * i] += w * w * dx;
      f[2 * i + 1] += w * w * dy;
    }
  }
  return z;
}

const single = new GradientState(embedding, P, []);
Deno.bench("forces, 5000 points: TypeScript O(n^2)", { group: "forces", baseline: true }, () => {
  forcesTs(embedding);
});
Deno.bench("forces, 5000 points: wasm exact O(n^2)", { group: "forces" }, () => {
  single.evaluate({ exact: true });
});
Deno.bench("forces, 5000 points: wasm Barnes-Hut, theta 0.5", { group: "forces" }, () => {
  single.evaluate({ theta: 0.5 });
});
const workers = await startWorkers(1);
const dual = new GradientState(embedding, P, workers);
Deno.bench(
  "forces, 5000 points: wasm Barnes-Hut, theta 0.5, 2 threads",
  { group: "forces" },
  () => {
    dual.evaluate({ theta: 0.5 });
  },
);
// The start of an optimisation: the same points shrunk to the initialisation's
// scale (about 1e-4), where every node lies within EXPANSION_RADIUS. The
// states share one kernel, so these benches set its positions first.
const start = embedding.map((v) => v * 1e-5);
Deno.bench(
  "forces, 5000 points at the initialisation's scale: Barnes-Hut, each point summing its list",
  { group: "expansion", baseline: true },
  () => {
    single.positions.set(start);
    single.evaluate({ theta: 0.5, expansionRadius: 0 });
  },
);
Deno.bench(
  "forces, 5000 points at the initialisation's scale: Barnes-Hut, one expansion per small node",
  { group: "expansion" },
  () => {
    single.positions.set(start);
    single.evaluate({ theta: 0.5 });
  },
);
const next = mulberry32(3);
const pixels = Float32Array.from({ length: 2048 * 784 }, () => next() < 0.19 ? next() : 0);
const cov = Float64Array.from({ length: 784 * 784 }, () => next() - 0.5);
const basis = Float64Array.from({ length: 784 * 66 }, () => next() - 0.5);
pcaKernel.reset();
const [xp, sums, work] = [
  pcaKernel.alloc(pixels.length * 4),
  pcaKernel.alloc(784 * 784 * 8),
  pcaKernel.alloc(784 * 12),
];
const [cp, vp, out] = [
  pcaKernel.alloc(cov.length * 8),
  pcaKernel.alloc(basis.length * 8),
  pcaKernel.alloc(basis.length * 8),
];
new Float32Array(pcaKernel.memory.buffer, xp, pixels.length).set(pixels);
new Float64Array(pcaKernel.memory.buffer, cp, cov.length).set(cov);
new Float64Array(pcaKernel.memory.buffer, vp, basis.length).set(basis);
Deno.bench("PCA sparse Gram, 2048 x 784: TypeScript", { group: "gram", baseline: true }, () => {
  sparseGramReference(pixels, 784);
});
Deno.bench("PCA sparse Gram, 2048 x 784: wasm", { group: "gram" }, () => {
  pcaKernel.sparseGramUpper(xp, 2048, 784, sums, work);
});
Deno.bench("PCA product, 784 x 784 x 66: TypeScript", { group: "product", baseline: true }, () => {
  multiplyReference(cov, basis, 784, 66);
});
Deno.bench("PCA product, 784 x 784 x 66: wasm", { group: "product" }, () => {
  pcaKernel.multiplyF64(cp, vp, 784, 66, out);
});

globalThis.addEventListener("unload", () => workers.forEach((w) => w.worker.terminate()));
