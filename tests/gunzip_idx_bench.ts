/**
 * MNIST train images (gzip -9, 9.6 MB -> 47 MB) to a [0, 1] Float32Array: the fused
 * `gunzip_idx` kernel against three gunzips alone and each followed by a TS
 * normalisation loop, plus the floor the OS sets (faulting in a fresh 188 MB array)
 * and the kernel producing bytes, the same 47 MB the gunzips produce.
 * With `--allow-run=/usr/bin/python3`, Python's `gzip.decompress` (+ numpy) are timed too.
 *
 * ```sh
 * deno bench --allow-run=/usr/bin/python3 --allow-sys=loadavg tests/gunzip_idx_bench.ts
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

const group = "train-images-idx3-ubyte.gz (gzip -9) -> Float32Array";
const options = { group, n: 10, warmup: 2 };

Deno.bench("AS fused gunzip + IDX + float32", { ...options, baseline: true }, () => {
  decodeIdx(gz, { scale: "unit" });
});
Deno.bench("AS fused gunzip + IDX, bytes (47 MB out, like the gunzips)", options, () => {
  decodeIdx(gz, { scale: "none" });
});
Deno.bench("node:zlib gunzipSync alone", options, () => {
  zlibGunzip(gz);
});
Deno.bench("DecompressionStream alone", options, async () => {
  await decompressionStream(gz);
});
Deno.bench("fflate gunzipSync alone", options, () => {
  fflate.gunzipSync(gz);
});
Deno.bench("node:zlib gunzipSync + TS normalise", options, () => {
  normalise(zlibGunzip(gz));
});
Deno.bench("DecompressionStream + TS normalise", options, async () => {
  normalise(await decompressionStream(gz));
});
Deno.bench("fflate gunzipSync + TS normalise", options, () => {
  normalise(fflate.gunzipSync(gz));
});
Deno.bench("floor: new 188 MB Float32Array, one write per 4 KiB page", options, () => {
  const out = new Float32Array(raw.length - 16);
  for (let i = 0; i < out.length; i += 1024) out[i] = 1;
});

printLoad();
await pythonReference("gunzip_idx.py", gz);
