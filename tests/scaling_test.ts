/**
 * Input scaling: images by dtype and range, tables by `--normalize`, fitted on
 * the training rows only and applied unchanged to other data, described for
 * the log, and checked when read back from a run's config.json.
 */
import { assert, assertAllClose, assertEquals, assertThrows } from "./_assert.ts";
import {
  applyScaling,
  describeScaling,
  fitScaling,
  imageScaling,
  NORMALIZE_METHODS,
  parseNormalize,
  parseScaling,
  type Scaling,
} from "../src/data/scaling.ts";
import { UserError } from "../src/errors.ts";
import { writeNpy } from "../src/io/npy.ts";
import { loadData } from "../src/data/load.ts";
import { floatImages } from "../src/data/dataset.ts";
import { train } from "../src/train/train.ts";
import { readRunRecord } from "../src/run/run_folder.ts";
import { dataOptions } from "../src/train/config.ts";
import { loadDetectionData } from "../src/anomaly/data.ts";
import { tempRunDir } from "./_train_fixture.ts";

Deno.test("images: integers / 255, floats in [0, 1] as they are, other floats min-max on the training range", () => {
  assertEquals(imageScaling(Uint8Array.of(3, 7)), { kind: "divide", by: 255 });
  assertEquals(imageScaling(Float32Array.of(0, 0.5, 1)), { kind: "none" });
  const scaling = imageScaling(Float32Array.of(-2, 0, 6));
  assertEquals(scaling, { kind: "minmax", min: [-2], max: [6] });
  assertEquals([...applyScaling(Float32Array.of(-2, 2, 6, 10), scaling)], [0, 0.5, 1, 1.5]);
  assertEquals(
    describeScaling(scaling),
    "min-max scaled to [0, 1] from [-2, 6] fitted on the training split",
  );
  assertEquals([...applyScaling(Uint8Array.of(0, 255), { kind: "divide", by: 255 })], [0, 1]);
});

Deno.test("tables: per-feature min-max and standardization fitted on the training rows; none keeps them", () => {
  const train = Float32Array.of(0, 10, 2, 30, 4, 20); // 3 rows x 2 features
  const minmax = fitScaling(train, { features: 2 });
  assertEquals(minmax, { kind: "minmax", min: [0, 10], max: [4, 30] });
  assertEquals([...applyScaling(Float32Array.of(2, 20, 8, 0), minmax)], [0.5, 0.5, 2, -0.5]);
  const standard = fitScaling(train, { method: "standard", features: 2 });
  const z = applyScaling(train, standard);
  for (const f of [0, 1]) {
    const col = [z[f], z[2 + f], z[4 + f]];
    assertAllClose([col.reduce((a, b) => a + b) / 3], [0], { abs: 1e-6 });
    assertAllClose([col.reduce((a, b) => a + b * b, 0) / 3], [1], { rel: 1e-6 });
  }
  assertEquals(fitScaling(train, { method: "none", features: 2 }), { kind: "none" });
  assertEquals([...applyScaling(train, { kind: "none" })], [...train]);
  assert(describeScaling(standard).includes("per feature (2 features)"));
});

Deno.test("a constant feature scales to 0; a non-finite value is a UserError naming the element", () => {
  const constant = fitScaling(Float32Array.of(5, 1, 5, 2), { features: 2 });
  assertEquals([...applyScaling(Float32Array.of(5, 1.5), constant)], [0, 0.5]);
  const std = fitScaling(Float32Array.of(5, 5), { method: "standard" });
  assertEquals([...applyScaling(Float32Array.of(5, 9), std)], [0, 0]);
  const error = assertThrows(() => fitScaling(Float32Array.of(1, NaN)));
  assert(error instanceof UserError && error.message.includes("element 1"), String(error));
  assert(
    assertThrows(() => fitScaling(new Float32Array(5), { features: 2 })) instanceof RangeError,
  );
});

Deno.test("--normalize takes minmax, standard or none", () => {
  assertEquals(NORMALIZE_METHODS.map(parseNormalize), [...NORMALIZE_METHODS]);
  const error = assertThrows(() => parseNormalize("zscore"));
  assert(
    error instanceof UserError && error.message.includes("minmax, standard, none"),
    String(error),
  );
});

Deno.test("a stored scaling reads back as it was written; a malformed one names the file", () => {
  for (
    const s of <Scaling[]> [
      { kind: "divide", by: 255 },
      { kind: "none" },
      { kind: "minmax", min: [0, 1], max: [2, 3] },
      { kind: "standard", mean: [0], std: [1] },
    ]
  ) {
    assertEquals(parseScaling(JSON.parse(JSON.stringify(s)), "config.json"), s);
  }
  for (
    const bad of [null, { kind: "minmax", min: [0], max: [1, 2] }, { kind: "divide" }, {
      kind: "log",
    }]
  ) {
    const error = assertThrows(() => parseScaling(bad, "runs/x/config.json"));
    assert(
      error instanceof UserError && error.message.includes("runs/x/config.json"),
      String(error),
    );
  }
});

/** A `.npy` of `count` float32 28x28 images whose pixels of image i are all `value(i)`. */
async function floatImagesNpy(count: number, value: (i: number) => number): Promise<string> {
  const dir = await tempRunDir("scaling_");
  const path = `${dir}/x.npy`;
  const data = Float32Array.from({ length: count * 784 }, (_, k) => value(Math.floor(k / 784)));
  await Deno.writeFile(path, writeNpy(data, [count, 28, 28]));
  return path;
}

Deno.test("wasm: float images outside [0, 1] are min-max scaled on the training split, recorded in config.json and reapplied to other data", async () => {
  // Images 0..9 valued 0, 100, ..., 900: the seeded 20% test split holds two of them.
  const data = await floatImagesNpy(10, (i) => 100 * i);
  const loaded = await loadData({ data, seed: 0 });
  const s = loaded.scaling as { kind: "minmax"; min: number[]; max: number[] };
  const trainValues = [...new Set(floatImages(loaded.train))].length;
  assertEquals([s.kind, loaded.train.count, trainValues], ["minmax", 8, 8]);
  const held = floatImages(loaded.test).filter((_, k) => k % 784 === 0);
  assert(
    held.every((v) => v >= 0 && v <= 1) === (s.min[0] === 0 && s.max[0] === 900),
    "fitted on train only",
  );
  assert(loaded.description!.includes("min-max scaled to [0, 1] from"), loaded.description);
  const out = await tempRunDir();
  const lines: string[] = [];
  await train({
    model: "dense",
    data,
    epochs: 1,
    batchSize: 4,
    backend: "wasm",
    out,
    quiet: true,
    log: (l) => lines.push(l),
  });
  assert(
    lines.some((l) => l.startsWith("data: ") && l.includes("min-max scaled")),
    lines.join("\n"),
  );
  const { config } = await readRunRecord(out);
  assertEquals(config.scaling, loaded.scaling);
  // Another file, scored by the saved run: the stored range applies, nothing is refitted.
  const other = await floatImagesNpy(2, (i) => 2000 * i);
  const scored = await loadDetectionData(config, [784], { path: other });
  const [min, max] = [s.min[0], s.max[0]];
  const expected = (v: number) => Math.fround(((v - min) / (max - min)) * 2 - 1); // dense: [-1, 1]
  assertAllClose([scored.images[0], scored.images[784]], [expected(0), expected(2000)]);
  // A run folder from before scaling was recorded still loads: its scaling is fitted again.
  const path = `${out}/config.json`;
  const record = JSON.parse(await Deno.readTextFile(path));
  delete record.config.scaling;
  await Deno.writeTextFile(path, JSON.stringify(record));
  const old = await readRunRecord(out);
  assertEquals(old.config.scaling, undefined);
  const again = await loadData({ ...dataOptions(old.config) });
  assertEquals(again.scaling, loaded.scaling);
});
