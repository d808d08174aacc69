/**
 * MNIST train images (gzip -9, 9.6 MB -> 47 MB) to a ready dataset, the uint8 pixels
 * training uses (`loadMnist` keeps them as bytes, scaled as batches are gathered): the
 * fused `gunzip_idx` kernel (inflate, CRC32, IDX header and size checks) against three
 * gunzips alone of the same file, which still leave the IDX header to parse and check.
 * Then the float32 path `readIdx` still offers, fused against zlib + a TS loop.
 * With `--allow-run=/usr/bin/python3`, Python's `gzip.decompress` (+ numpy) are timed too.
 *
 * ```sh
 * deno bench --allow-read=$(deno run tasks/mnist_dir.ts) --allow-run=/usr/bin/python3 --allow-sys=loadavg tests/gunzip_idx_bench.ts
 * ```
 *
 * @module
 */
import { gunzipSync as zlibGunzip, gzipSync } from "node:zlib";
import { fflate } from "../src/deps.ts";
import { decodeIdx } from "../src/data/gunzip_idx.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";
import { printLoad, pythonReference } from "./_bench_context.ts";

const raw = await Deno.readFile(`${packagedMnistDir()}/train-images-idx3-ubyte`);
const gz = new Uint8Array(gzipSync(raw, { level: 9 }));

/** What readIdx did before the kernel: a plain loop over the decompressed bytes. */
function normalise(idx: Uint8Array): Float32Array {
  const body = idx.subarray(16);
  const out = new Float32Array(body.length);
  for (let i = 0; i < body.length; i++) out[i] = body[i] / 255;
  return out;
}

async function decompressionStream(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const ready = {
  group: "train-images-idx3-ubyte.gz (gzip -9) -> ready uint8 dataset (47 MB)",
  n: 10,
  warmup: 2,
};

Deno.bench("AS fused gunzip + IDX -> uint8 dataset (what training uses)", {
  ...ready,
  baseline: true,
}, () => {
  decodeIdx(gz, { scale: "none" }); // loadMnist's images: shape and bytes, as they stay
});
Deno.bench("node:zlib gunzipSync alone", ready, () => {
  zlibGunzip(gz);
});
Deno.bench("DecompressionStream alone", ready, async () => {
  await decompressionStream(gz);
});
Deno.bench("fflate gunzipSync alone", ready, () => {
  fflate.gunzipSync(gz);
});

const floats = { group: "the same -> Float32Array in [0, 1] (188 MB)", n: 10, warmup: 2 };

Deno.bench("AS fused gunzip + IDX + float32", { ...floats, baseline: true }, () => {
  decodeIdx(gz, { scale: "unit" });
});
Deno.bench("node:zlib gunzipSync + TS normalise", floats, () => {
  normalise(zlibGunzip(gz));
});

printLoad();
await pythonReference("gunzip_idx.py", gz);
