/**
 * Figures follow the data: RGB image grids keep their colours, table rows
 * are drawn as line plots of inputs against reconstructions; a run on RGB
 * images or a standardized table writes them, records its sample shape in
 * `config.json`, and is rebuilt from it; a run that recorded no shape is
 * MNIST's.
 */
import { assert, assertEquals } from "./_assert.ts";
import { fflate } from "../src/deps.ts";
import { imageGrid } from "../src/plot/image_grid.ts";
import { samplesFigure } from "../src/plot/samples_figure.ts";
import { initBackend } from "../src/backend/backend.ts";
import type { Dataset } from "../src/data/dataset.ts";
import { getModel } from "../src/models/registry.ts";
import { resolveConfig, type RunConfig } from "../src/train/config.ts";
import { fitConfigToData } from "../src/train/input_shape.ts";
import { fit } from "../src/train/fit.ts";
import { createTrainStep } from "../src/train/step.ts";
import { RunFolderWriter } from "../src/train/callbacks.ts";
import { loadRun } from "../src/inference/load_run.ts";
import { reconstruct } from "../src/inference/codec.ts";
import { floatImages } from "../src/data/dataset.ts";
import { Rng } from "../src/random.ts";
import { tempRunDir } from "./_train_fixture.ts";

/** Width, height and RGBA pixels of a PNG our encoder wrote (8-bit RGBA, filter 0). */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const view = new DataView(png.buffer, png.byteOffset);
  const [width, height] = [view.getUint32(16), view.getUint32(20)];
  let at = 8;
  const idat: Uint8Array[] = [];
  while (at < png.length) {
    const length = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    if (type === "IDAT") idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = fflate.unzlibSync(
    idat.length === 1 ? idat[0] : new Uint8Array(idat.flatMap((c) => [...c])),
  );
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba };
}

function colours(png: Uint8Array): Set<string> {
  const { rgba } = decodePng(png);
  const seen = new Set<string>();
  for (let i = 0; i < rgba.length; i += 4) seen.add(`${rgba[i]},${rgba[i + 1]},${rgba[i + 2]}`);
  return seen;
}

Deno.test("an RGB image grid keeps each pixel's colour", () => {
  // One 1x2 image: a red pixel and a blue one.
  const png = imageGrid([Float32Array.of(1, 0, 0, 0, 0, 1)], { height: 1, width: 2, channels: 3 });
  const seen = colours(png);
  assert(seen.has("255,0,0") && seen.has("0,0,255"), [...seen].join(" "));
  const grey = colours(imageGrid([Float32Array.of(1, 0)], { height: 1, width: 2 }));
  assert(!grey.has("255,0,0") && grey.has("0,0,0"));
});

Deno.test("table rows are line plots, one panel per sample with the input, the reconstruction and the error between", () => {
  const features = 20, n = 3;
  const inputs = Float32Array.from({ length: n * features }, (_, i) => Math.sin(i / 2));
  const recons = inputs.map((v) => 0.5 * v);
  const png = samplesFigure([inputs, recons], { height: 1, width: features, kind: "table" }, {
    names: ["input", "reconstruction"],
  });
  const { width, height } = decodePng(png);
  assertEquals(
    [width, height],
    [2 * 420, 2 * 240],
    "two columns of panels, two rows for three samples",
  );
  const seen = colours(png);
  assert(seen.has("31,119,180"), "the input line");
  assert(seen.has("214,39,40"), "the reconstruction line");
  // The image of the same values as a 1x20 picture is another figure altogether.
  const image = decodePng(
    samplesFigure([inputs], { height: 1, width: features }, { names: ["x"] }),
  );
  assert(image.height < 20, `an image row, ${image.height} high`);
});

function dataset(options: {
  count: number;
  shape: [number, number, number];
  kind?: "table";
  values: () => number;
  bytes?: boolean;
}): Dataset {
  const [height, width, channels] = options.shape;
  const n = options.count * height * width * channels;
  const values = Float32Array.from({ length: n }, options.values);
  return {
    images: options.bytes ? Uint8Array.from(values, (v) => Math.round(255 * v)) : values,
    labels: Uint8Array.from({ length: options.count }, (_, i) => i % 3),
    count: options.count,
    height,
    width,
    channels,
    ...(options.kind && { kind: options.kind }),
    classNames: ["cat", "dog", "owl"],
  };
}

async function runOn(model: string, data: Dataset, out: string, extra: Partial<RunConfig> = {}) {
  const backend = await initBackend({ backend: "cpu" });
  const spec = getModel(model);
  const config = fitConfigToData(
    { ...resolveConfig({ model, epochs: 1, batchSize: 8 }), ...extra },
    data,
    {},
    spec,
  );
  const ae = spec.build(config);
  await fit({
    autoencoder: ae,
    step: createTrainStep(ae, config),
    train: data,
    test: data,
    settings: config,
    backend,
    callbacks: [new RunFolderWriter(out, config, backend)],
  });
  return { config, ae };
}

Deno.test("a conv run on 12x12 RGB images records its shape, draws RGB reconstructions and is rebuilt from config.json", async () => {
  const rng = new Rng(2);
  const data = dataset({ count: 16, shape: [12, 12, 3], values: () => rng.uniform(), bytes: true });
  const out = await tempRunDir();
  const { config, ae } = await runOn("conv", data, out);
  const record = JSON.parse(await Deno.readTextFile(`${out}/config.json`)).config;
  assertEquals([record.inputShape, record.unbounded, record.classes], [[12, 12, 3], false, 3]);
  const png = decodePng(await Deno.readFile(`${out}/reconstructions.png`));
  assert(png.height > 2 * 12 * 3, `two rows of 12x12 images at scale 3, ${png.height} high`);
  const run = await loadRun(out, { backend: "cpu" });
  assertEquals(run.autoencoder.inputShape, [12, 12, 3]);
  const images = floatImages(data).subarray(0, 2 * 12 * 12 * 3);
  assertEquals(
    reconstruct(run.autoencoder, images),
    reconstruct(ae, images),
    "same model, same weights",
  );
  assertEquals(config.loss, "bce");
});

Deno.test("a VAE on a standardized table: a linear output, MSE, line-plot reconstructions and only the latent scatter", async () => {
  const rng = new Rng(3);
  const data = dataset({
    count: 24,
    shape: [1, 20, 1],
    kind: "table",
    values: () => 3 * rng.normal(),
  });
  const out = await tempRunDir();
  const { config, ae } = await runOn("vae", data, out);
  assertEquals([config.inputShape, config.unbounded, config.loss], [[20], true, "mse"]);
  assertEquals(ae.decoder.layers.at(-1)!.getConfig().activation, "linear");
  const png = decodePng(await Deno.readFile(`${out}/reconstructions.png`));
  assertEquals([png.width, png.height], [2 * 420, 2 * 240], "four samples' line plots");
  const files = [...Deno.readDirSync(out)].map((e) => e.name);
  assert(files.includes("latent_scatter.png") && !files.includes("samples.png"), files.join(" "));
  const run = await loadRun(out, { backend: "cpu" });
  assertEquals(run.autoencoder.decoder.layers.at(-1)!.getConfig().activation, "linear");
});

Deno.test("a run that recorded no shape (made before shapes were) is rebuilt for MNIST's 28x28x1", async () => {
  const rng = new Rng(4);
  const data = dataset({ count: 8, shape: [28, 28, 1], values: () => rng.uniform(), bytes: true });
  const out = await tempRunDir();
  await runOn("conv", data, out);
  const path = `${out}/config.json`;
  const record = JSON.parse(await Deno.readTextFile(path));
  for (const key of ["inputShape", "unbounded", "classes"]) delete record.config[key];
  await Deno.writeTextFile(path, JSON.stringify(record));
  const run = await loadRun(out, { backend: "cpu" });
  assertEquals(run.autoencoder.inputShape, [28, 28, 1]);
});
