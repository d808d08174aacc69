/**
 * addNoise: distributions within statistical tolerance over 10^6 samples,
 * ranges respected, the same seed giving the same noise whatever the split
 * (offsets, odd lengths, shuffled rows, the 2^32 boundary), and bad options refused.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { addNoise, type AddNoiseOptions } from "../src/noise.ts";

const N = 1_000_000;

function moments(a: Float32Array) {
  let mean = 0;
  for (const v of a) mean += v;
  mean /= a.length;
  let m2 = 0, m3 = 0, m4 = 0;
  for (const v of a) {
    const d = v - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= a.length;
  return { mean, variance: m2, skew: m3 / a.length / m2 ** 1.5, kurtosis: m4 / a.length / m2 ** 2 };
}

/** Standard normal CDF (Abramowitz-Stegun 26.2.17, error < 7.5e-8). */
function phi(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t *
    (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI) * poly;
  return x >= 0 ? 1 - tail : tail;
}

/** |observed fraction - p| within 5 binomial standard errors over n draws. */
function assertFraction(count: number, n: number, p: number, what: string) {
  const se = Math.sqrt(p * (1 - p) / n);
  const f = count / n;
  assert(Math.abs(f - p) <= 5 * se + 1e-12, `${what}: fraction ${f}, expected ${p} ± ${5 * se}`);
}

const wide = { min: -1e9, max: 1e9 };

Deno.test("gaussian: mean, variance, skew, kurtosis and CDF of 10^6 draws", () => {
  for (const level of [1, 0.3]) {
    const z = addNoise(new Float32Array(N), { kind: "gaussian", level, seed: 11, ...wide });
    const m = moments(z);
    const s = level;
    assert(Math.abs(m.mean) < 5 * s / Math.sqrt(N), `mean ${m.mean}`);
    assert(Math.abs(m.variance / (s * s) - 1) < 5 * Math.sqrt(2 / N), `variance ${m.variance}`);
    assert(Math.abs(m.skew) < 5 * Math.sqrt(15 / N), `skew ${m.skew}`);
    assert(Math.abs(m.kurtosis - 3) < 5 * Math.sqrt(96 / N), `kurtosis ${m.kurtosis}`);
    for (const x of [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3]) {
      let below = 0;
      for (const v of z) if (v < x * s) below++;
      assertFraction(below, N, phi(x), `P(z < ${x})`);
    }
  }
});

Deno.test("gaussian: pairs and neighbours are uncorrelated", () => {
  const z = addNoise(new Float32Array(N), { kind: "gaussian", level: 1, seed: 5, ...wide });
  for (const lag of [1, 2, 7, 8, 784]) {
    let c = 0;
    for (let i = 0; i + lag < N; i++) c += z[i] * z[i + lag];
    const r = c / (N - lag);
    assert(Math.abs(r) < 5 / Math.sqrt(N), `lag ${lag} correlation ${r}`);
  }
});

Deno.test("gaussian: clipped to [min, max], clipping as often as the tails say", () => {
  const y = addNoise(new Float32Array(N).fill(0.5), { kind: "gaussian", level: 0.3, seed: 2 });
  let atMax = 0, atMin = 0;
  for (const v of y) {
    assert(v >= 0 && v <= 1, `value ${v} outside [0, 1]`);
    if (v === 1) atMax++;
    if (v === 0) atMin++;
  }
  assertFraction(atMax, N, 1 - phi(0.5 / 0.3), "clipped at 1");
  assertFraction(atMin, N, phi(-0.5 / 0.3), "clipped at 0");
  const sym = addNoise(new Float32Array(N), { kind: "gaussian", level: 2, seed: 2, min: -1 });
  assert(sym.every((v) => v >= -1 && v <= 1), "[-1, 1]");
});

Deno.test("mask: a fraction p set to 0, the rest untouched", () => {
  const x = Float32Array.from({ length: N }, (_, i) => 0.1 + (i % 9) / 10);
  for (const p of [0, 0.1, 0.5, 1]) {
    const y = addNoise(x, { kind: "mask", level: p, seed: 3 });
    let zeros = 0;
    for (let i = 0; i < N; i++) {
      if (y[i] === 0) zeros++;
      else assertEquals(y[i], x[i], `element ${i}`);
    }
    assertFraction(zeros, N, p, `mask ${p}`);
  }
});

Deno.test("salt and pepper: p/2 to max, p/2 to min, the rest untouched", () => {
  const x = new Float32Array(N).fill(0.25);
  for (const [p, min, max] of [[0.2, 0, 1], [0.5, -1, 1], [1, 0, 1]]) {
    const y = addNoise(x, { kind: "saltpepper", level: p, seed: 4, min, max });
    let salt = 0, pepper = 0;
    for (const v of y) {
      if (v === max) salt++;
      else if (v === min) pepper++;
      else assertEquals(v, 0.25);
    }
    assertFraction(salt, N, p / 2, `salt ${p}`);
    assertFraction(pepper, N, p / 2, `pepper ${p}`);
  }
});

const KINDS: AddNoiseOptions[] = [
  { kind: "gaussian", level: 0.4, seed: 9 },
  { kind: "mask", level: 0.3, seed: 9 },
  { kind: "saltpepper", level: 0.3, seed: 9 },
];

Deno.test("a seed gives the same noise, another seed other noise", () => {
  const x = new Float32Array(10_000).fill(0.5);
  for (const options of KINDS) {
    const a = addNoise(x, options);
    assertEquals(addNoise(x, options), a, `${options.kind} repeat`);
    const b = addNoise(x, { ...options, seed: 10 });
    assert(b.some((v, i) => v !== a[i]), `${options.kind} seeds differ`);
  }
});

Deno.test("the same noise whatever the split: offsets, odd pieces, shuffled rows", () => {
  const x = Float32Array.from({ length: 50_000 }, (_, i) => (i % 97) / 96);
  for (const options of KINDS) {
    const whole = addNoise(x, { ...options, offset: 1000 });
    const pieces = new Float32Array(x.length);
    for (let at = 0, n = 1; at < x.length; at += n, n = 1 + (n * 7 + 3) % 1013) {
      const part = x.subarray(at, at + n);
      pieces.set(addNoise(part, { ...options, offset: 1000 + at }), at);
    }
    assertEquals(pieces, whole, `${options.kind} in pieces`);
    // Rows of 784 in shuffled order, as a training batch sees them.
    const rows = [17, 3, 40, 0, 21];
    const batch = new Float32Array(rows.length * 784);
    rows.forEach((r, i) => batch.set(x.subarray(r * 784, (r + 1) * 784), i * 784));
    const noisy = addNoise(batch, { ...options, rows });
    const full = addNoise(x, options);
    rows.forEach((r, i) => {
      const want = full.subarray(r * 784, (r + 1) * 784);
      assertEquals(noisy.subarray(i * 784, (i + 1) * 784), want, `${options.kind} row ${r}`);
    });
  }
});

Deno.test("stream indices past 2^32 split cleanly", () => {
  const x = new Float32Array(40).fill(0.5);
  const start = 2 ** 32 - 17;
  for (const options of KINDS) {
    const whole = addNoise(x, { ...options, offset: start });
    const head = addNoise(x.subarray(0, 17), { ...options, offset: start });
    const tail = addNoise(x.subarray(17), { ...options, offset: 2 ** 32 });
    assertEquals(whole.subarray(0, 17), head, `${options.kind} head`);
    assertEquals(whole.subarray(17), tail, `${options.kind} tail`);
    const low = addNoise(x.subarray(17), { ...options, offset: 0 });
    assert(low.some((v, i) => v !== tail[i]), `${options.kind}: index 2^32 is not index 0`);
  }
});

Deno.test("in place writes into x; the default leaves x alone", () => {
  const x = new Float32Array(1000).fill(0.5);
  const copy = addNoise(x, { kind: "mask", level: 0.5 });
  assert(x.every((v) => v === 0.5), "x untouched");
  const same = addNoise(x, { kind: "mask", level: 0.5, inPlace: true });
  assert(same === x, "returns x");
  assertEquals(x, copy);
});

Deno.test("bad options are refused with what was expected", async () => {
  const x = new Float32Array(10);
  await assertRejects(() => addNoise(x, { kind: "mask", level: 1.5 }), "mask level 1.5", "[0, 1]");
  await assertRejects(() => addNoise(x, { kind: "gaussian", level: -1 }), "gaussian level -1");
  await assertRejects(() => addNoise(x, { kind: "gaussian", level: NaN }), ">= 0");
  await assertRejects(() => addNoise(x, { kind: "gaussian", level: 1, min: 1, max: 0 }), "min 1");
  await assertRejects(() => addNoise(x, { kind: "mask", level: 0.1, offset: -1 }), "offset -1");
  await assertRejects(() => addNoise(x, { kind: "mask", level: 0.1, seed: 0.5 }), "seed 0.5");
  await assertRejects(() => addNoise(x, { kind: "mask", level: 0.1, rows: [0, 1, 2] }), "3 rows");
  await assertRejects(
    () => addNoise(x, { kind: "speckle" as "mask", level: 0.1 }),
    'unknown kind "speckle"',
  );
});
