/**
 * The fused gzip IDX kernel against fflate (the reference inflater) and a plain TS
 * normalisation: MNIST, random data at every level, each block type, multi-member
 * files and header flags decode identically; corrupt input gets a specific
 * `IdxError`; a few hundred fuzzed inputs never get anything else.
 */
import { Buffer } from "node:buffer";
import { gzipSync as zlibGzip } from "node:zlib";
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { fflate } from "../src/deps.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";
import { decodeIdx, IdxError, type IdxScale } from "../src/data/gunzip_idx.ts";
import { memory as kernelMemory } from "../asm/gunzip_idx.wasm";
import { concat, crc32, fuzzGzip, gzipMember, mnistSample } from "../tasks/fuzz_gzip.ts";
import { Rng } from "../src/random.ts";

/** An IDX file of unsigned bytes with the given dims. */
function idx(shape: number[], body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + body.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(body, 4 + 4 * shape.length);
  return out;
}

type Typed = Uint8Array | Float32Array;

/** The reference: fflate (when gzip), header by hand, normalisation in TS. */
function reference(input: Uint8Array, scale: IdxScale): { shape: number[]; data: Typed } {
  const raw = input[0] === 0x1f && input[1] === 0x8b ? fflate.gunzipSync(input) : input;
  const rank = raw[3];
  const view = new DataView(raw.buffer, raw.byteOffset);
  const shape = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const body = raw.subarray(4 + 4 * rank);
  if (scale === "none" || rank === 1) return { shape, data: body };
  const lut = Float32Array.from(
    { length: 256 },
    (_, b) => scale === "unit" ? b / 255 : b / 127.5 - 1,
  );
  const data = new Float32Array(body.length);
  for (let i = 0; i < body.length; i++) data[i] = lut[body[i]];
  return { shape, data };
}

const bytesOf = (a: Typed) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function assertSameArrays(a: Typed, b: Typed, what: string) {
  assertEquals([a.constructor.name, a.length], [b.constructor.name, b.length], what);
  if (bytesOf(a).equals(bytesOf(b))) return;
  const i = a.findIndex((v, i) => v !== b[i]);
  throw new Error(`${what}: element ${i} is ${a[i]}, expected ${b[i]}`);
}

function assertDecodesLikeReference(input: Uint8Array, what: string, scale: IdxScale = "none") {
  const got = decodeIdx(input, { scale });
  const want = reference(input, scale);
  assertEquals(got.shape, want.shape, `${what}: shape`);
  assertSameArrays(got.data, want.data, what);
}

/** Plain Uint8Array copies: a node Buffer's slice() is a view. */
const gzip = (data: Uint8Array, options: Parameters<typeof zlibGzip>[1]) =>
  new Uint8Array(zlibGzip(data, options));

const MNIST_NAMES = [
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
];

Deno.test("MNIST: the four files, raw and gzip -9, equal fflate + TS normalisation", async () => {
  for (const name of MNIST_NAMES) {
    const raw = await Deno.readFile(`${packagedMnistDir()}/${name}`);
    const gz = gzip(raw, { level: 9 });
    const scales: IdxScale[] = name.includes("images") ? ["unit", "symmetric", "none"] : ["unit"];
    for (const scale of scales) {
      assertDecodesLikeReference(gz, `${name}.gz ${scale}`, scale);
    }
    assertDecodesLikeReference(raw, `${name} raw`, scales[0]);
  }
  // Raw files go through the kernel in pieces: its memory holds the largest gzip, not 47 MB.
  assert(kernelMemory.buffer.byteLength < 24 << 20, `${kernelMemory.buffer.byteLength} bytes`);
});

Deno.test("normalisation is exact for every byte value and stays in range", () => {
  const all = idx([2, 128], Uint8Array.from({ length: 256 }, (_, i) => i));
  const unit = decodeIdx(all, { scale: "unit" }).data;
  const sym = decodeIdx(all, { scale: "symmetric" }).data;
  for (let b = 0; b < 256; b++) {
    assertEquals(unit[b], Math.fround(b / 255), `unit ${b}`);
    assertEquals(sym[b], Math.fround(b / 127.5 - 1), `symmetric ${b}`);
  }
  assertEquals([unit[0], unit[255], sym[0], sym[255]], [0, 1, -1, 1]);
});

Deno.test("random data at every compression level, fflate and zlib encoders", () => {
  const rng = new Rng(4);
  const n = 300_000; // > 2 kernel windows, so matches cross window slides
  const kinds: Record<string, () => number> = {
    noise: () => rng.int(256),
    fewSymbols: () => rng.int(4) * 60,
    runs: (() => {
      let v = 0, left = 0;
      return () => (left-- > 0 ? v : (left = rng.int(300), v = rng.int(256)));
    })(),
  };
  for (const [kind, next] of Object.entries(kinds)) {
    const file = idx([n / 100, 100], Uint8Array.from({ length: n }, next));
    for (let level = 0; level <= 9; level++) {
      const lvl = level as 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
      assertDecodesLikeReference(fflate.gzipSync(file, { level: lvl }), `${kind} fflate ${level}`);
      assertDecodesLikeReference(gzip(file, { level }), `${kind} zlib ${level}`, "unit");
    }
  }
});

/** BTYPE of the first deflate block of a gzip member without optional header fields. */
const firstBlockType = (gz: Uint8Array) => (gz[10] >> 1) & 3;

Deno.test("stored, fixed and dynamic Huffman blocks", async () => {
  const file = await mnistSample(200);
  const stored = gzip(file, { level: 0 });
  const fixed = gzip(file, { level: 9, strategy: 4 /* Z_FIXED */ });
  const dynamic = gzip(file, { level: 9 });
  assertEquals([stored, fixed, dynamic].map(firstBlockType), [0, 1, 2]);
  for (const [what, gz] of Object.entries({ stored, fixed, dynamic })) {
    assertDecodesLikeReference(gz, what, "unit");
  }
});

Deno.test("multi-member gzip and every optional header field", async () => {
  const file = await mnistSample(50);
  const cuts = [0, 7, 16, 1000, 20000, file.length];
  const members = cuts.slice(1).map((end, i) => gzip(file.subarray(cuts[i], end), { level: 6 }));
  const empty = gzip(new Uint8Array(0), { level: 6 });
  const decoded = decodeIdx(concat(empty, ...members.slice(0, 3), empty, ...members.slice(3)), {
    scale: "none",
  });
  assertSameArrays(decoded.data, file.subarray(16), "5 members and 2 empty ones");
  const flagged = gzipMember(file, {
    extra: new Uint8Array([65, 66, 2, 0, 1, 2]),
    name: "digits.idx",
    comment: "fifty",
    headerCrc: true,
  });
  assertSameArrays(decodeIdx(flagged, { scale: "none" }).data, file.subarray(16), "flags");
});

/** A gzip member around hand-written deflate bits (LSB-first), with a correct trailer for `data`. */
function handMade(bits: string, data = new Uint8Array(0)): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(bits.length / 8));
  [...bits].forEach((b, i) => (bytes[i >> 3] |= Number(b) << (i & 7)));
  const trailer = new Uint8Array(8);
  new DataView(trailer.buffer).setUint32(0, crc32(data), true);
  new DataView(trailer.buffer).setUint32(4, data.length, true);
  return concat(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), bytes, trailer);
}

Deno.test("corrupt gzip gets a specific error", async () => {
  const file = await mnistSample(3);
  const good = gzip(file, { level: 9 });
  const reject = (input: Uint8Array, ...parts: string[]) =>
    assertRejects(() => decodeIdx(input, { name: "c.gz" }), "c.gz: ", ...parts);
  const changed = (at: number, value: number) => {
    const out = good.slice();
    out[at < 0 ? good.length + at : at] = value;
    return out;
  };
  await reject(changed(-8, good.at(-8)! ^ 1), "CRC32", "trailer");
  await reject(changed(-4, good.at(-4)! ^ 1), "ISIZE", `${file.length} bytes`);
  await reject(changed(2, 7), "gzip byte 2", "compression method 7", "expected 8");
  await reject(changed(3, 0x20), "gzip byte 3", "reserved flag bits");
  await reject(concat(good, new Uint8Array([0, 0])), "2 bytes of trailing garbage");
  const badHeaderCrc = gzipMember(file, { headerCrc: true });
  badHeaderCrc[10] ^= 1;
  await reject(badHeaderCrc, "header CRC16");
  // BFINAL=1, BTYPE=3.
  await reject(handMade("111"), "block type 3");
  // A stored block whose NLEN is not ~LEN.
  await reject(handMade("100" + "00000" + "0".repeat(32)), "LEN 0 with NLEN 0");
  // Fixed block: length 3 (code 257 = 0000001) at distance 1 (code 00000) with no output yet.
  await reject(handMade("110" + "0000001" + "00000" + "0000000"), "distance");
  // Dynamic block whose code-length code has no codes at all.
  await reject(handMade("101" + "00000" + "00000" + "0000" + "000".repeat(4)), "code lengths");
  // Fixed block using the invalid distance code 30 (11110).
  await reject(
    handMade("110" + "00110000" + "0000001" + "11110" + "0000000"),
    "invalid literal/length or distance code",
  );
});

Deno.test("truncated gzip at every length is refused, never misread", async () => {
  const gz = gzip(await mnistSample(2), { level: 9 });
  for (let n = 1; n < gz.length; n++) {
    const e = await assertRejects(() => decodeIdx(gz.subarray(0, n)));
    assert(e instanceof IdxError, `length ${n}: ${e}`);
    if (n >= 10) assert(e.message.includes("truncated"), `length ${n}: ${e.message}`);
  }
});

Deno.test("IDX errors inside gzip name offsets in the decompressed data", async () => {
  const bad = (bytes: number[]) => gzip(new Uint8Array(bytes), { level: 6 });
  await assertRejects(() => decodeIdx(bad([0, 0, 8, 1, 0, 0, 0, 3, 1, 2])), "truncated", "3 data");
  await assertRejects(() => decodeIdx(bad([0, 0, 8, 1, 0, 0, 0, 1, 1, 2])), "1 trailing bytes");
  await assertRejects(() => decodeIdx(bad([0, 0, 8, 2, 0, 0])), "offset 4", "truncated header");
  await assertRejects(() => decodeIdx(bad([1, 2, 3, 4])), "offset 0", "01 02 03 04");
});

Deno.test("huge dims in a small file are refused before anything is allocated", async () => {
  const huge = idx([65535, 65535], new Uint8Array(100));
  await assertRejects(() => decodeIdx(huge), "offset 12", "truncated", "65535x65535");
  await assertRejects(
    () => decodeIdx(gzip(huge, { level: 9 })),
    "offset 4",
    "more than",
    "can inflate to",
  );
});

Deno.test("fuzz: 300 mutated gzip files decode intact or raise IdxError", async () => {
  const report = await fuzzGzip({ cases: 300, seed: 1 });
  assertEquals(report.failures, []);
  assert(report.decoded > 0, "some mutations (MTIME, OS) leave the data intact");
  assert(Object.keys(report.rejected).length >= 5, "many different rejections");
});
