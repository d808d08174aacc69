/**
 * Fuzzes the gzip IDX decoder: seeded mutations (bit flips, byte changes,
 * truncation, deletions, duplications, garbage) of small gzip IDX files, each of
 * which must either decode to exactly the original or be refused with an
 * `IdxError`; anything else (another error type, a wrong result) is a failure.
 * The test suite runs a few hundred cases; this task runs as many as asked.
 *
 * ```sh
 * deno task fuzz:gzip --fuzz 10000 --seed 1
 * ```
 *
 * @module
 */
import { packagedMnistDir } from "../src/data/mnist.ts";
import { deflateRawSync, gzipSync } from "node:zlib";
import { decodeIdx, IdxError } from "../src/data/gunzip_idx.ts";
import { Rng } from "../src/random.ts";
import { parseFuzzArgs } from "../src/cli/bench_args.ts";
import { runTask } from "../src/cli/main.ts";

/** Options for {@linkcode fuzzGzip}. */
export interface FuzzGzipOptions {
  /** Number of mutated inputs (default 300). */
  cases?: number;
  /** Seed of the mutations (default 0). */
  seed?: number;
}

/** What a fuzz run saw: how many inputs decoded intact, and the rejections by kind. */
export interface FuzzGzipReport {
  cases: number;
  decoded: number;
  rejected: Record<string, number>;
  /** Descriptions of the inputs that broke the contract (empty on success). */
  failures: string[];
}

/** A small IDX file: `count` 28x28 images from the packaged MNIST test set. */
export async function mnistSample(count: number): Promise<Uint8Array> {
  const images = await Deno.readFile(`${packagedMnistDir()}/t10k-images-idx3-ubyte`);
  const out = images.slice(0, 16 + count * 784);
  new DataView(out.buffer).setUint32(4, count);
  return out;
}

/** A gzip member by hand, so header flags (FEXTRA, FNAME, FCOMMENT, FHCRC) get exercised. */
export function gzipMember(
  data: Uint8Array,
  { extra, name, comment, headerCrc = false, level = 6 }: {
    extra?: Uint8Array;
    name?: string;
    comment?: string;
    headerCrc?: boolean;
    level?: number;
  } = {},
): Uint8Array {
  const head: number[] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];
  const text = new TextEncoder();
  if (extra) head.push(extra.length & 0xff, extra.length >> 8, ...extra);
  if (name !== undefined) head.push(...text.encode(name), 0);
  if (comment !== undefined) head.push(...text.encode(comment), 0);
  head[3] = (extra ? 4 : 0) | (name !== undefined ? 8 : 0) | (comment !== undefined ? 16 : 0) |
    (headerCrc ? 2 : 0);
  if (headerCrc) {
    const c = crc32(new Uint8Array(head));
    head.push(c & 0xff, (c >>> 8) & 0xff);
  }
  const body = deflateRawSync(data, { level });
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc32(data), true);
  view.setUint32(4, data.length >>> 0, true);
  return concat(new Uint8Array(head), body, trailer);
}

/** Byte arrays end to end. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** CRC32 (IEEE), bitwise: only for building small fixtures. */
export function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

const MUTATIONS: ((g: Uint8Array, rng: Rng) => [Uint8Array, string])[] = [
  (g, rng) => {
    const out = g.slice();
    const flips = 1 + rng.int(3);
    const at: number[] = [];
    for (let i = 0; i < flips; i++) {
      const bit = rng.int(g.length * 8);
      out[bit >> 3] ^= 1 << (bit & 7);
      at.push(bit);
    }
    return [out, `bit flips at ${at.join(",")}`];
  },
  (g, rng) => {
    const out = g.slice();
    const i = rng.int(g.length);
    out[i] = rng.int(256);
    return [out, `byte ${i} := ${out[i]}`];
  },
  (g, rng) => {
    const n = rng.int(g.length);
    return [g.slice(0, n), `truncated to ${n}`];
  },
  (g, rng) => {
    const i = rng.int(g.length);
    const n = 1 + rng.int(16);
    return [concat(g.subarray(0, i), g.subarray(i + n)), `deleted ${n} at ${i}`];
  },
  (g, rng) => {
    const i = rng.int(g.length);
    const n = 1 + rng.int(64);
    return [concat(g.subarray(0, i + n), g.subarray(i)), `duplicated ${n} at ${i}`];
  },
  (g, rng) => {
    const junk = Uint8Array.from({ length: 1 + rng.int(8) }, () => rng.int(256));
    return [concat(g, junk), `${junk.length} garbage bytes appended`];
  },
  (g, rng) => {
    const out = g.slice();
    out[g.length - 8 + rng.int(8)] ^= 1 + rng.int(255);
    return [out, "trailer changed"];
  },
  (g, rng) => {
    // MTIME, XFL and OS carry no data: the result must be intact.
    const out = g.slice();
    const i = [4, 5, 6, 7, 8, 9][rng.int(6)];
    out[i] = rng.int(256);
    return [out, `header byte ${i} := ${out[i]}`];
  },
];

/**
 * Runs `cases` seeded mutations over stored, fixed, dynamic, multi-member and
 * flag-laden gzip encodings of a small MNIST IDX file and checks the contract:
 * intact result or `IdxError`, nothing else.
 */
export async function fuzzGzip(options: FuzzGzipOptions = {}): Promise<FuzzGzipReport> {
  const { cases = 300, seed = 0 } = options;
  const idx = await mnistSample(6);
  const half = 16 + 3 * 784;
  const bases = [
    gzipSync(idx, { level: 0 }),
    gzipSync(idx, { level: 9, strategy: 4 /* Z_FIXED */ }),
    gzipSync(idx, { level: 9 }),
    gzipSync(idx, { level: 1 }),
    concat(gzipSync(idx.subarray(0, half)), gzipSync(idx.subarray(half))),
    gzipMember(idx, { extra: new Uint8Array([1, 2, 3]), name: "x", comment: "y", headerCrc: true }),
  ].map((b) => new Uint8Array(b)); // a node Buffer's slice() is a view, not a copy
  const rng = new Rng(seed);
  const report: FuzzGzipReport = { cases, decoded: 0, rejected: {}, failures: [] };
  for (let c = 0; c < cases; c++) {
    const b = rng.int(bases.length);
    const m = rng.int(MUTATIONS.length);
    const [input, what] = MUTATIONS[m](bases[b], rng);
    try {
      const { data } = decodeIdx(input, { scale: "none" });
      const same = data.length === idx.length - 16 && data.every((v, i) => v === idx[16 + i]);
      if (same) report.decoded++;
      else report.failures.push(`case ${c} (base ${b}, ${what}): decoded to different data`);
    } catch (e) {
      if (!(e instanceof IdxError)) {
        report.failures.push(`case ${c} (base ${b}, ${what}): ${e}`);
        continue;
      }
      const kind = e.message.replace(/^IDX data: /, "").replace(/[0-9a-fx]*[0-9][0-9a-fx]*/g, "#");
      report.rejected[kind] = (report.rejected[kind] ?? 0) + 1;
    }
  }
  return report;
}

if (import.meta.main) {
  await runTask(async () => {
    const start = performance.now();
    const report = await fuzzGzip(parseFuzzArgs(Deno.args));
    const seconds = ((performance.now() - start) / 1000).toFixed(1);
    console.log(`${report.cases} cases in ${seconds} s: ${report.decoded} decoded intact`);
    const kinds = Object.entries(report.rejected).sort((a, b) => b[1] - a[1]);
    for (const [kind, n] of kinds) console.log(`${String(n).padStart(6)}  ${kind}`);
    for (const f of report.failures) console.error(`FAIL ${f}`);
    if (report.failures.length) Deno.exit(1);
  });
}
