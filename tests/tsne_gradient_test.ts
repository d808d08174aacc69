/**
 * The Barnes-Hut gradient with theta = 0 equals the exact one, both equal a
 * direct O(n^2) evaluation of the formula, theta = 0.5 stays close, and the
 * KL divergence is the one of the definition. Run on 1 and 2 threads. Nodes
 * within the expansion radius keep that accuracy through their expansions; a
 * refitted tree gives the built tree's forces, and is rebuilt when its cells
 * spread or it grows old. The gains-and-momentum step follows its rule in
 * f32, element by element.
 */
import { assert, assertAllClose, assertClose, assertEquals } from "./_assert.ts";
import { clusters } from "./_tsne_fixtures.ts";
import { jointProbabilities } from "../src/tsne/affinities.ts";
import {
  EXPANSION_RADIUS,
  GradientState,
  TREE_REBUILD_EVERY,
  tsneGradient,
} from "../src/tsne/gradient.ts";
import { gradientKernel, startWorkers, stopWorkers } from "../src/tsne/_kernels.ts";
import { mulberry32 } from "../src/tsne/initialization.ts";
import { nearestNeighbors } from "../src/tsne/knn.ts";

const n = 500;
const { data } = clusters(n, 8, 5, 7);
const P = jointProbabilities(await nearestNeighbors(data, 8, { k: 45 }), { perplexity: 15 });
const next = mulberry32(11);
// A spread-out embedding with clusters, like mid-optimisation, so the tree has depth.
const y = Float32Array.from(
  { length: 2 * n },
  (_, t) => 10 * next() + 20 * ((t >> 1) % 5 === 0 ? 1 : 0),
);

// The definition, in f64: dKL/dy / 4, Z, and KL(P || Q).
function direct(
  exaggeration: number,
  positions: Float32Array,
): { gradient: Float64Array; z: number; kl: number } {
  const y = positions;
  const w = new Float64Array(n * n);
  let z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      w[i * n + j] = 1 / (1 + (y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2);
      z += w[i * n + j];
    }
  }
  const p = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let e = P.rowPtr[i]; e < P.rowPtr[i + 1]; e++) p[i * n + P.cols[e]] = P.vals[e];
  }
  const gradient = new Float64Array(2 * n);
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const wij = w[i * n + j], c = exaggeration * p[i * n + j] * wij - (wij * wij) / z;
      gradient[2 * i] += c * (y[2 * i] - y[2 * j]);
      gradient[2 * i + 1] += c * (y[2 * i + 1] - y[2 * j + 1]);
      if (p[i * n + j] > 0) kl += p[i * n + j] * Math.log(p[i * n + j] / (wij / z));
    }
  }
  return { gradient, z, kl };
}

const reference = direct(12, y);
const scale = Math.max(...reference.gradient.map(Math.abs));

for (const threads of [1, 2]) {
  Deno.test(`exact and theta-0 Barnes-Hut gradients equal the definition (${threads} thread(s))`, async () => {
    const exact = await tsneGradient(y, P, { exact: true, exaggeration: 12, threads });
    const bh0 = await tsneGradient(y, P, { theta: 0, exact: false, exaggeration: 12, threads });
    for (const [name, g] of [["exact", exact], ["theta 0", bh0]] as const) {
      assertAllClose(g.gradient, reference.gradient, { rel: 1e-4, abs: 1e-5 * scale, msg: name });
      assertClose(g.z, reference.z, 1e-5 * reference.z, `${name} Z`);
      assertClose(g.kl, reference.kl, 1e-5, `${name} KL`);
    }
    assertAllClose(bh0.gradient, exact.gradient, {
      rel: 1e-4,
      abs: 1e-6 * scale,
      msg: "BH(0) vs exact",
    });
  });
}

Deno.test("theta 0.5 approximates the gradient within 0.5 %", async () => {
  const bh = await tsneGradient(y, P, { theta: 0.5, exaggeration: 12 });
  const err = relativeError(bh.gradient, reference.gradient);
  assert(err < 0.005, `relative error ${err}`);
  assertClose(bh.z, reference.z, 0.01 * reference.z, "Z");
  assertClose(bh.kl, reference.kl, 0.01, "KL");
});

// Relative RMS error of a gradient against the definition's.
function relativeError(g: Float32Array, exact: Float64Array): number {
  let err = 0, norm = 0;
  for (let t = 0; t < g.length; t++) {
    err += (g[t] - exact[t]) ** 2;
    norm += exact[t] ** 2;
  }
  return Math.sqrt(err / norm);
}

Deno.test("nodes smaller than EXPANSION_RADIUS share an expansion: the definition's gradient within the same error", async () => {
  // The fixture's two squares (10 wide, 20 apart) shrunk until each fits in
  // the radius (0.94 of it): they expand, the root holding both does not.
  const small = y.map((v) => v * EXPANSION_RADIUS / 7.5);
  const exact = direct(12, small);
  const plain = await tsneGradient(small, P, { theta: 0.5, exaggeration: 12, expansionRadius: 0 });
  const expanded = await tsneGradient(small, P, { theta: 0.5, exaggeration: 12 });
  const changed = expanded.gradient.filter((g, t) => g !== plain.gradient[t]).length;
  assert(changed > n, `the expansions served most points (${changed} of ${2 * n} values changed)`);
  for (const [name, g] of [["plain", plain], ["expanded", expanded]] as const) {
    const err = relativeError(g.gradient, exact.gradient);
    assert(err < 0.005, `${name}: relative error ${err}`);
    assertClose(g.z, exact.z, 0.001 * exact.z, `${name} Z`);
  }
});

Deno.test("between builds the tree is refitted, unless its cells spread or it has served TREE_REBUILD_EVERY evaluations", async () => {
  const workers = await startWorkers(1);
  const state = new GradientState(y, P, workers);
  try {
    const error = () =>
      relativeError(state.gradient(12), direct(12, state.positions.slice()).gradient);
    // Unmoved: the refitted tree is the built one, and so are the forces.
    state.evaluate({ theta: 0.5 });
    const built = state.gradient(12);
    state.evaluate({ theta: 0.5 });
    assertEquals(state.treeBuilds, 1);
    assertEquals([...state.gradient(12)], [...built]);
    // A small move everywhere: refitted, as accurate.
    const next = mulberry32(3);
    const positions = state.positions;
    for (let t = 0; t < 2 * n; t++) positions[t] += 0.05 * (next() - 0.5);
    state.evaluate({ theta: 0.5 });
    assertEquals(state.treeBuilds, 1);
    assert(error() < 0.005, `refitted: relative error ${error()}`);
    // Every fourth point jumps by a fifth of the spread: the cells would overlap, so it is rebuilt.
    for (let i = 0; i < n; i += 4) positions[2 * i] += 6;
    state.evaluate({ theta: 0.5 });
    assertEquals(state.treeBuilds, 2);
    assert(error() < 0.005, `rebuilt: relative error ${error()}`);
    for (let e = 1; e < TREE_REBUILD_EVERY; e++) state.evaluate({ theta: 0.5 });
    assertEquals(state.treeBuilds, 2);
    state.evaluate({ theta: 0.5 });
    assertEquals(state.treeBuilds, 3, "rebuilt by age");
  } finally {
    await state.close();
    stopWorkers(workers);
  }
});

Deno.test("relabelling in Morton order permutes the positions and the gradient consistently", async () => {
  const workers = await startWorkers(1);
  const state = new GradientState(y, P, workers);
  try {
    state.reorder();
    const order = state.order;
    assert(order.some((o, s) => o !== s), "the order changed");
    assertEquals([...state.embedding()], [...y]);
    state.evaluate({ exact: true, withKl: true });
    const g = state.gradient(12);
    const back = new Float32Array(2 * n);
    for (let s = 0; s < n; s++) {
      [back[2 * order[s]], back[2 * order[s] + 1]] = [g[2 * s], g[2 * s + 1]];
    }
    assertAllClose(back, reference.gradient, { rel: 1e-4, abs: 1e-5 * scale });
    assertClose(state.kl, reference.kl, 1e-5);
  } finally {
    await state.close();
    stopWorkers(workers);
  }
});

Deno.test("the gains-and-momentum step is the f32 rule element by element (7 points: vectors and a tail)", () => {
  const m = 7, rand = mulberry32(3), f = Math.fround;
  const k = gradientKernel;
  k.reset();
  const yp = k.setup(m, 1, 4);
  const attr = k.alloc(8 * m), rep = k.alloc(8 * m);
  const positions = new Float32Array(k.memory.buffer, yp, 2 * m);
  positions.set(Float32Array.from({ length: 2 * m }, () => rand() - 0.5));
  const expected = Float32Array.from(positions), gains = new Float32Array(2 * m).fill(1);
  const update = new Float32Array(2 * m);
  k.resetOptimizer();
  // Three steps with fresh forces, so that some gains grow and some shrink.
  for (const [z, ex, lr, mom] of [[3.5, 12, 200, 0.5], [2.25, 12, 200, 0.5], [7, 1, 150, 0.8]]) {
    const a = Float32Array.from({ length: 2 * m }, () => rand() - 0.5);
    const r = Float32Array.from({ length: 2 * m }, () => rand() - 0.5);
    new Float32Array(k.memory.buffer, attr, 2 * m).set(a);
    new Float32Array(k.memory.buffer, rep, 2 * m).set(r);
    let norm = 0;
    for (let t = 0; t < 2 * m; t++) {
      const g = f(f(f(ex) * a[t]) - f(r[t] * f(1 / z)));
      const gain = Math.max(
        f(update[t] * g) < 0 ? f(gains[t] + f(0.2)) : f(gains[t] * f(0.8)),
        f(0.01),
      );
      update[t] = f(f(f(mom) * update[t]) - f(f(f(lr) * gain) * g));
      gains[t] = gain;
      expected[t] = f(expected[t] + update[t]);
      norm += g * g;
    }
    assertClose(k.step(attr, rep, z, ex, lr, mom, 0.01), norm, 1e-12 * norm, "squared norm");
    assertEquals([...new Float32Array(k.memory.buffer, yp, 2 * m)], [...expected]);
  }
});
