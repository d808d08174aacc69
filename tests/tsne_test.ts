/**
 * t-SNE end to end: repeatable by seed, the exact mode, the options'
 * validation, and on MNIST an embedding whose 10-NN label accuracy is within
 * 0.02 of the input features'.
 */
import { UserError } from "../src/errors.ts";
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { clusters } from "./_tsne_fixtures.ts";
import { loadMnist } from "../src/data/mnist.ts";
import { floatImages } from "../src/data/dataset.ts";
import { neighborAccuracy } from "../src/tsne/metrics.ts";
import { pca } from "../src/tsne/pca.ts";
import { tsne } from "../src/tsne/tsne.ts";

Deno.test("a fixed seed gives the same embedding twice (pca and random init, 2 threads)", async () => {
  const { data } = clusters(600, 12, 6, 5);
  for (const init of ["pca", "random"] as const) {
    const options = { dims: 12, perplexity: 20, iterations: 300, seed: 9, init, threads: 2 };
    const a = await tsne(data, options);
    const b = await tsne(data, options);
    assertEquals(a.embedding, b.embedding, `${init} init`);
    assertEquals(a.kl, b.kl);
  }
  const c = await tsne(data, {
    dims: 12,
    perplexity: 20,
    iterations: 300,
    seed: 10,
    init: "random",
  });
  const d = await tsne(data, {
    dims: 12,
    perplexity: 20,
    iterations: 300,
    seed: 9,
    init: "random",
  });
  assert(c.embedding.some((v, i) => v !== d.embedding[i]), "another seed, another embedding");
});

Deno.test("the exact mode (theta 0) lowers the KL divergence and reports progress", async () => {
  const { data, labels } = clusters(300, 5, 3, 2);
  const reports: number[] = [];
  const r = await tsne(data, {
    dims: 5,
    theta: 0,
    iterations: 400,
    onProgress: (p) => reports.push(p.iteration),
  });
  assertEquals(reports, [50, 100, 150, 200, 250, 300, 350, 400]);
  assert(r.klHistory[5].kl > r.kl, `KL falls in the free phase: ${r.klHistory[5].kl} -> ${r.kl}`);
  assertEquals(await neighborAccuracy(r.embedding, 2, labels), 1);
});

Deno.test("bad options are rejected with what was expected", async () => {
  const data = new Float32Array(40);
  await assertRejects(() => tsne(data, { dims: 3 }), "not rows of dims = 3");
  await assertRejects(
    () => tsne(data, { dims: 4, perplexity: 10 }),
    "perplexity 10",
    "(0, n = 10)",
  );
  const theta = await assertRejects(
    () => tsne(data, { dims: 4, perplexity: 3, theta: -1 }),
    "theta",
  );
  assert(theta instanceof UserError && theta.name === "TsneOptionError", "a UserError");
  let thrown = false;
  try {
    tsne(data, { dims: 3 }).catch(() => {});
  } catch {
    thrown = true;
  }
  assert(!thrown, "bad options reject the promise; nothing is thrown synchronously");
});

Deno.test("on 2,500 MNIST digits the 2-D embedding keeps the 10-NN accuracy of PCA-50 features within 0.02", async () => {
  const { test } = await loadMnist({ testSize: 2500, seed: 0 });
  const features = pca(floatImages(test), 784, { components: 50 }).projected;
  const r = await tsne(features, { dims: 50, seed: 0 });
  const before = await neighborAccuracy(features, 50, test.labels);
  const after = await neighborAccuracy(r.embedding, 2, test.labels);
  assert(before > 0.85, `input accuracy ${before}`);
  assert(after >= before - 0.02, `embedding accuracy ${after} vs input ${before}`);
  assert(r.kl > 0 && r.kl < 2, `KL ${r.kl}`);
});
