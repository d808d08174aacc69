// deno-fmt-ignore-file: AssemblyScript decorators (@inline) are not TypeScript; the formatter drops them.
// Fused gzip inflate + IDX parsing + uint8 -> float32 normalisation.
//
// The whole compressed file is copied into this module's memory once; the
// decompressed bytes only ever live in a sliding window (32 KiB of history plus
// one chunk), and each chunk is normalised while it is still in cache and handed
// to the host, which copies it into its output array (and computes the chunk's
// CRC32, see NEED_CRC). So the full-size decompressed byte buffer never exists.
//
// Host protocol (src/data/gunzip_idx.ts):
//   ptr = inputPtr(n); write the n input bytes at ptr
//   status = start(n, total, scale)
//   while status > 0: HEADER -> read rank()/dim(i), allocate; CHUNK -> copy
//     chunkLen() elements from chunkPtr(); NEED_CRC -> setCrc(CRC32 of the crcLen()
//     bytes at crcPtr(), continuing from crcValue()); then status = resume();
//     NEED_INPUT (raw IDX only) -> write the next piece at inputPtr(), status = feed(m)
//   status == DONE: finished and verified; status < 0: error code, see errOffset/errA/errB.
//
// The inflater is table driven: a 64-bit bit buffer refilled branchlessly with
// one unaligned load, 10-bit (literal/length) and 8-bit (distance) primary
// tables with sub-tables for longer codes, and match copies in 16-byte vectors.

// ---- status and error codes (described for users in src/data/gunzip_idx.ts) ----
const DONE: i32 = 0;
const HEADER: i32 = 1;
const CHUNK: i32 = 2;
const NEED_CRC: i32 = 3;
const NEED_INPUT: i32 = 4;

const E_TRUNCATED: i32 = -1; // input ends inside a gzip member
const E_METHOD: i32 = -2; // compression method is not deflate (8)
const E_FLAGS: i32 = -3; // reserved gzip flag bits set
const E_HEADER_CRC: i32 = -4; // FHCRC does not match the header
const E_BLOCK_TYPE: i32 = -5; // deflate block type 3
const E_STORED_LEN: i32 = -6; // stored block LEN != ~NLEN
const E_CODE_LENGTHS: i32 = -7; // invalid Huffman code lengths
const E_SYMBOL: i32 = -8; // invalid literal/length or distance symbol
const E_DISTANCE: i32 = -9; // distance reaches before the start of the member
const E_CRC: i32 = -10; // CRC32 mismatch (errA expected, errB actual)
const E_ISIZE: i32 = -11; // ISIZE mismatch (errA expected, errB actual)
const E_TRAILING: i32 = -12; // bytes after the last member that are not a member
const E_IDX_MAGIC: i32 = -13; // IDX magic bytes 0,0 missing (errA: the 4 magic bytes)
const E_IDX_TYPE: i32 = -14; // element type is not 0x08 (uint8)
const E_IDX_RANK: i32 = -15; // rank outside 1..MAX_RANK (errA)
const E_IDX_HEADER: i32 = -16; // data ends inside the IDX header (errA needed, errB got)
const E_IDX_SHORT: i32 = -17; // fewer data bytes than the dims say (errA expected, errB got)
const E_IDX_LONG: i32 = -18; // more data bytes than the dims say (errA expected, errB got)
const E_IDX_SIZE: i32 = -19; // dims multiply to more than 2^32 - 1 elements
const E_EMPTY: i32 = -20; // no input at all
const E_IDX_DIM: i32 = -21; // a dimension is 0 (errA: which)
const E_IDX_TOO_BIG: i32 = -22; // dims say more bytes (errA) than a gzip of errB bytes can inflate to
const MAX_RANK: i32 = 4;

// ---- layout ----
const HIST: i32 = 32768; // deflate's maximum distance
const CHUNK_BYTES: i32 = 1 << 17; // decoded bytes per chunk handed to the host
const LIMIT: i32 = HIST + CHUNK_BYTES; // stop decoding once the window reaches this
const WIN_BYTES: i32 = LIMIT + 258 + 64; // + longest match + vector overcopy slack
const LIT_BITS: i32 = 10;
const DIST_BITS: i32 = 8;
const LIT_ENTRIES: i32 = (1 << LIT_BITS) + 288 * 32; // primary + at most one 5-bit sub-table per long code
const DIST_ENTRIES: i32 = (1 << DIST_BITS) + 32 * 128;
const CL_BITS: i32 = 7;
const PAD: usize = 64; // zero bytes after the input: the refills' look-ahead past a truncated end

const WIN: usize = memory.data(WIN_BYTES, 64);
const F32: usize = memory.data((CHUNK_BYTES + 512) * 4, 64);
const CRC_TABLE: usize = memory.data(256 * 4, 64);
const FIXED_LIT: usize = memory.data(LIT_ENTRIES * 4, 64);
const FIXED_DIST: usize = memory.data(DIST_ENTRIES * 4, 64);
const DYN_LIT: usize = memory.data(LIT_ENTRIES * 4, 64);
const DYN_DIST: usize = memory.data(DIST_ENTRIES * 4, 64);
const CL_TABLE: usize = memory.data((1 << CL_BITS) * 4, 64);
const LENS: usize = memory.data(320, 16);
const COUNTS: usize = memory.data(16 * 4, 16);
const NEXT: usize = memory.data(16 * 4, 16);
const DIMS: usize = memory.data(MAX_RANK * 4, 16);

const LEN_BASE: usize = memory.data<u16>([
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27,
  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
]);
const LEN_EXTRA: usize = memory.data<u8>([
  0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
]);
const DIST_BASE: usize = memory.data<u16>([
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129,
  193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
]);
const DIST_EXTRA: usize = memory.data<u8>([
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
]);
const CL_ORDER: usize = memory.data<u8>([
  16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
]);

// ---- table entries (u32) ----
// bits 0-3 code length (or, for a sub-table pointer, the sub-table's index bits),
// bits 4-7 extra bits, bits 8-23 value (literal byte, length/distance base, sub-table start),
// bits 28-31 flags: literal (the sign bit, for a one-compare fast path), end of block,
// sub-table pointer, invalid symbol.
const LITERAL: u32 = 0x80000000;
const EOB: u32 = 0x40000000;
const SUB: u32 = 0x20000000;
const INVALID: u32 = 0x10000000;
const EXCEPTIONAL: u32 = EOB | INVALID;
const KIND_LIT: i32 = 0;
const KIND_DIST: i32 = 1;
const KIND_CL: i32 = 2;

// ---- decoder state ----
const S_MEMBER: i32 = 0; // expecting a gzip member header (or the end of input)
const S_BLOCK: i32 = 1; // expecting a deflate block header
const S_STORED: i32 = 2; // inside a stored block
const S_HUFFMAN: i32 = 3; // inside a Huffman block
const S_TRAILER: i32 = 4; // expecting CRC32 + ISIZE
const S_END: i32 = 5; // all input consumed
const S_RAW: i32 = 6; // raw (uncompressed) IDX: the input is copied through the window

let inBase: usize = 0;
let inCap: usize = 0;
let inEnd: usize = 0;
let inPos: usize = 0;
let inTotal: u64 = 0; // the whole input's length (raw input is fed in pieces)
let bitbuf: u64 = 0;
let bitcnt: u32 = 0;
let state: i32 = S_END;
let finalBlock: bool = false;
let storedLeft: u32 = 0;
let litTable: usize = 0;
let distTable: usize = 0;
let outPos: i32 = HIST; // window offset of the next decoded byte
let memberFloor: i32 = HIST; // window offset of the member's first byte (clamped to 0)
let members: i32 = 0;
let crc: u32 = 0;
let crcPos: i32 = HIST;
let memberSize: u32 = 0; // bytes of this member, mod 2^32 (ISIZE)
let deliverPos: i32 = HIST; // window bytes before this were handed to the host
let scaleMode: i32 = 0;
let headerDone: bool = false;
let headerLeft: i32 = 0; // IDX header bytes still to skip
let idxRank: i32 = 0;
let idxCount: u64 = 0;
let dataSeen: u64 = 0;
let extraBytes: u64 = 0;
let chunkLength: i32 = 0;
let chunkStart: usize = 0;
let errorOffset: f64 = 0;
let errorA: f64 = 0;
let errorB: f64 = 0;
let tablesReady: bool = false;

// ---- host interface ----

/**
 * Makes room for `n` input bytes plus the zero padding the bit reader may read past the
 * end, and returns where to write them; 0 when memory cannot grow that far.
 */
export function inputPtr(n: usize): usize {
  const need = (n + PAD + 63) & ~63;
  if (inBase == 0) inBase = (__heap_base + 63) & ~63;
  if (need > inCap) {
    const have = (<usize> memory.size() << 16) - inBase;
    if (need > have && memory.grow(<i32> ((need - have + 0xffff) >>> 16)) < 0) return 0;
    inCap = need;
  }
  memory.fill(inBase + n, 0, PAD);
  return inBase;
}

/**
 * Starts decoding the `n` bytes at `inputPtr()` of a `total`-byte input; scale 0 = bytes,
 * 1 = [0, 1], 2 = [-1, 1]. Gzip input must come whole (n = total); raw IDX may come in
 * pieces, the next one asked for with NEED_INPUT.
 */
export function start(n: usize, total: f64, scale: i32): i32 {
  if (!tablesReady) initTables();
  inPos = inBase;
  inEnd = inBase + n;
  inTotal = <u64> total;
  bitbuf = 0;
  bitcnt = 0;
  scaleMode = scale;
  outPos = HIST;
  memberFloor = HIST;
  crcPos = HIST;
  deliverPos = HIST;
  members = 0;
  headerDone = false;
  headerLeft = 0;
  idxRank = 0;
  idxCount = 0;
  dataSeen = 0;
  extraBytes = 0;
  chunkLength = 0;
  errorOffset = 0;
  errorA = 0;
  errorB = 0;
  if (n == 0) return fail(E_EMPTY, 0);
  if (n >= 2 && load<u8>(inBase) == 0x1f && load<u8>(inBase + 1) == 0x8b) {
    state = S_MEMBER;
  } else {
    state = S_RAW;
    storedLeft = <u32> total;
  }
  return resume();
}

/** The next `n` bytes of raw input are at `inputPtr()`: continue after NEED_INPUT. */
export function feed(n: usize): i32 {
  inPos = inBase;
  inEnd = inBase + n;
  return resume();
}

/** Continues after a HEADER, CHUNK or NEED_CRC status. */
export function resume(): i32 {
  while (true) {
    if (deliverPos < outPos && (outPos >= LIMIT || state == S_END)) {
      const r = deliver();
      if (r != 0) return r;
    }
    if (state == S_END) return finish();
    if (outPos >= LIMIT) {
      if (crcPos < outPos && state != S_RAW) return NEED_CRC;
      slide();
    }
    const r = decode();
    if (r != 0) return r;
  }
}

export function rank(): i32 {
  return idxRank;
}
export function dim(i: i32): u32 {
  return load<u32>(DIMS + (<usize> i << 2));
}
export function chunkPtr(): usize {
  return chunkStart;
}
export function chunkLen(): i32 {
  return chunkLength;
}
export function crcPtr(): usize {
  return WIN + <usize> crcPos;
}
export function crcLen(): i32 {
  return outPos - crcPos;
}
export function crcValue(): u32 {
  return crc;
}
/** Takes the host's CRC32 of the crcLen() bytes at crcPtr(). */
export function setCrc(c: u32): void {
  crc = c;
  memberSize += <u32> (outPos - crcPos);
  crcPos = outPos;
}
/** Switches the output after HEADER (labels stay bytes whatever the requested scale). */
export function setScale(scale: i32): void {
  scaleMode = scale;
}
export function errOffset(): f64 {
  return errorOffset;
}
export function errA(): f64 {
  return errorA;
}
export function errB(): f64 {
  return errorB;
}
export function memberIndex(): i32 {
  return members;
}

// ---- delivery: IDX header, normalisation ----

function fail(code: i32, offset: f64): i32 {
  errorOffset = offset;
  state = S_END;
  return code;
}

/** Hands the window bytes [deliverPos, outPos) to the host: HEADER first, then CHUNKs. */
function deliver(): i32 {
  let from = deliverPos;
  if (!headerDone) {
    // Only reached with a full window (far more than the largest header) or at the end.
    const avail = outPos - from;
    const p = WIN + <usize> from;
    if (avail < 4) return failHeader(4, avail, 0);
    if (load<u8>(p) != 0 || load<u8>(p + 1) != 0) {
      errorA = bswap<u32>(load<u32>(p));
      return fail(E_IDX_MAGIC, 0);
    }
    if (load<u8>(p + 2) != 0x08) {
      errorA = load<u8>(p + 2);
      return fail(E_IDX_TYPE, 2);
    }
    const r = <i32> load<u8>(p + 3);
    idxRank = r;
    if (r < 1 || r > MAX_RANK) {
      errorA = r;
      return fail(E_IDX_RANK, 3);
    }
    const headerBytes = 4 + 4 * r;
    if (avail < headerBytes) return failHeader(headerBytes, avail, 4);
    let count: u64 = 1;
    for (let i = 0; i < r; i++) {
      const d = bswap<u32>(load<u32>(p + 4 + <usize> (4 * i)));
      store<u32>(DIMS + (<usize> i << 2), d);
      if (d == 0) {
        errorA = i;
        return fail(E_IDX_DIM, 4 + 4 * i);
      }
      count *= <u64> d;
      if (count > 0xffffffff) return fail(E_IDX_SIZE, 4 + 4 * i);
    }
    idxCount = count;
    // Refuse sizes the input cannot hold before the host allocates for them: a raw file
    // must match exactly, and deflate expands at most 1032:1.
    const inLen = inTotal;
    if (members == 0 && <u64> headerBytes + count != inLen) {
      errorA = <f64> count;
      errorB = <f64> (inLen - <u64> headerBytes);
      return fail(errorB < errorA ? E_IDX_SHORT : E_IDX_LONG, headerBytes);
    }
    if (members > 0 && count > inLen * 1032) {
      errorA = <f64> count;
      errorB = <f64> inLen;
      return fail(E_IDX_TOO_BIG, 4);
    }
    headerDone = true;
    headerLeft = headerBytes;
    return HEADER;
  }
  if (headerLeft > 0) {
    const skip = min(headerLeft, outPos - from);
    from += skip;
    headerLeft -= skip;
  }
  let n = outPos - from;
  deliverPos = outPos;
  // Bytes beyond the declared size are only counted, for the error at the end.
  const room = idxCount - dataSeen;
  if (<u64> n > room) {
    extraBytes += <u64> n - room;
    n = <i32> room;
  }
  if (n == 0) return 0;
  dataSeen += <u64> n;
  const src = WIN + <usize> from;
  chunkLength = n;
  if (scaleMode == 0) {
    chunkStart = src;
  } else {
    normalise(src, n, scaleMode == 2 ? 127.5 : 0);
    chunkStart = F32;
  }
  return CHUNK;
}

/** A header cut short: `need` bytes expected, `got` present, reported at `offset`. */
function failHeader(need: i32, got: i32, offset: f64): i32 {
  if (state != S_END) return 0;
  errorA = need;
  errorB = got;
  return fail(E_IDX_HEADER, offset);
}

/**
 * uint8 -> float32 as (b - centre) / (255 - centre): b / 255 or (b - 127.5) / 127.5, one
 * correctly rounded division each, so results equal `Math.fround(b / 255)` and
 * `Math.fround(b / 127.5 - 1)` exactly.
 */
function normalise(src: usize, n: i32, centre: f32): void {
  const c = f32x4.splat(centre);
  const div = f32x4.splat(255 - centre);
  let dst = F32;
  const end = src + <usize> n;
  // The window and F32 have slack, so the last vector may over-read and over-write.
  while (src < end) {
    const v = v128.load(src);
    const lo = i16x8.extend_low_i8x16_u(v);
    const hi = i16x8.extend_high_i8x16_u(v);
    v128.store(dst, scaled(i32x4.extend_low_i16x8_u(lo), c, div));
    v128.store(dst, scaled(i32x4.extend_high_i16x8_u(lo), c, div), 16);
    v128.store(dst, scaled(i32x4.extend_low_i16x8_u(hi), c, div), 32);
    v128.store(dst, scaled(i32x4.extend_high_i16x8_u(hi), c, div), 48);
    src += 16;
    dst += 64;
  }
}

@inline function scaled(ints: v128, centre: v128, div: v128): v128 {
  return f32x4.div(f32x4.sub(f32x4.convert_i32x4_u(ints), centre), div);
}

function finish(): i32 {
  if (!headerDone) {
    const r = deliver(); // reports the short header
    if (r < 0) return r;
  }
  if (dataSeen < idxCount || extraBytes > 0) {
    errorA = <f64> idxCount;
    errorB = <f64> (dataSeen + extraBytes);
    return fail(extraBytes > 0 ? E_IDX_LONG : E_IDX_SHORT, 4 + 4 * idxRank);
  }
  return DONE;
}

/** Moves the last 32 KiB of the window to its start so decoding can continue. */
function slide(): void {
  const shift = outPos - HIST;
  memory.copy(WIN, WIN + <usize> shift, HIST);
  outPos = HIST;
  crcPos = HIST;
  deliverPos = HIST;
  memberFloor = max(memberFloor - shift, 0);
}

// ---- CRC32 ----
// Data CRCs are the host's job (NEED_CRC): Wasm has no carry-less multiply, and a
// slicing-by-16 table CRC here took 30 ms for MNIST's 47 MB, against 2 ms for
// node:zlib's crc32. This bytewise one only checks the optional gzip header CRC16.

function crc32(c: u32, p: usize, n: i32): u32 {
  c = ~c;
  for (const end = p + <usize> n; p < end; p++) {
    c = load<u32>(CRC_TABLE + (((c ^ load<u8>(p)) & 0xff) << 2)) ^ (c >> 8);
  }
  return ~c;
}

function initTables(): void {
  for (let n: u32 = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
    store<u32>(CRC_TABLE + (n << 2), c);
  }
  for (let i = 0; i < 144; i++) store<u8>(LENS + i, 8);
  for (let i = 144; i < 256; i++) store<u8>(LENS + i, 9);
  for (let i = 256; i < 280; i++) store<u8>(LENS + i, 7);
  for (let i = 280; i < 288; i++) store<u8>(LENS + i, 8);
  buildTable(LENS, 288, FIXED_LIT, LIT_BITS, KIND_LIT);
  for (let i = 0; i < 32; i++) store<u8>(LENS + i, 5);
  buildTable(LENS, 32, FIXED_DIST, DIST_BITS, KIND_DIST);
  tablesReady = true;
}

// ---- Huffman tables ----

function entryFor(kind: i32, sym: i32): u32 {
  if (kind == KIND_CL) return <u32> sym << 8;
  if (kind == KIND_DIST) {
    if (sym >= 30) return INVALID;
    return (<u32> load<u16>(DIST_BASE + (<usize> sym << 1)) << 8) |
      (<u32> load<u8>(DIST_EXTRA + <usize> sym) << 4);
  }
  if (sym < 256) return LITERAL | (<u32> sym << 8);
  if (sym == 256) return EOB;
  if (sym >= 286) return INVALID;
  const i = <usize> (sym - 257);
  return (<u32> load<u16>(LEN_BASE + (i << 1)) << 8) | (<u32> load<u8>(LEN_EXTRA + i) << 4);
}

/** Builds the decoding table for `n` code lengths at `lens`; false if they do not form a valid code. */
function buildTable(lens: usize, n: i32, table: usize, bits: i32, kind: i32): bool {
  memory.fill(COUNTS, 0, 64);
  for (let s = 0; s < n; s++) {
    const p = COUNTS + (<usize> load<u8>(lens + s) << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
  store<u32>(COUNTS, 0);
  let maxLen = 0;
  let left: i32 = 1;
  for (let l = 1; l <= 15; l++) {
    const c = <i32> load<u32>(COUNTS + (<usize> l << 2));
    if (c != 0) maxLen = l;
    left = (left << 1) - c;
    if (left < 0) return false; // over-subscribed
  }
  const size = 1 << bits;
  for (let i = 0; i < size; i++) store<u32>(table + (<usize> i << 2), INVALID);
  if (maxLen == 0) return kind == KIND_DIST; // a block with only literals needs no distance code
  // Like zlib, an incomplete code is only allowed when it is a single 1-bit code.
  if (left > 0 && (kind == KIND_CL || maxLen != 1)) return false;
  let code: u32 = 0;
  for (let l = 1; l <= 15; l++) {
    code = (code + load<u32>(COUNTS + (<usize> (l - 1) << 2))) << 1;
    store<u32>(NEXT + (<usize> l << 2), code);
  }
  const subBits = maxLen > bits ? maxLen - bits : 0;
  let nextSub = size;
  for (let s = 0; s < n; s++) {
    const len = <i32> load<u8>(lens + s);
    if (len == 0) continue;
    const np = NEXT + (<usize> len << 2);
    const c = load<u32>(np);
    store<u32>(np, c + 1);
    const rev = <i32> (reverseBits(c) >> (32 - len));
    const e = entryFor(kind, s);
    if (len <= bits) {
      const v = e == INVALID ? e : e | <u32> len;
      for (let i = rev; i < size; i += 1 << len) store<u32>(table + (<usize> i << 2), v);
    } else {
      const pp = table + (<usize> (rev & (size - 1)) << 2);
      let head = load<u32>(pp);
      if ((head & SUB) == 0) {
        head = SUB | (<u32> nextSub << 8) | <u32> subBits;
        store<u32>(pp, head);
        for (let i = 0; i < 1 << subBits; i++) {
          store<u32>(table + (<usize> (nextSub + i) << 2), INVALID);
        }
        nextSub += 1 << subBits;
      }
      const base = table + (<usize> ((head >> 8) & 0xffff) << 2);
      const v = e == INVALID ? e : e | <u32> (len - bits);
      for (let i = rev >> bits; i < 1 << subBits; i += 1 << (len - bits)) {
        store<u32>(base + (<usize> i << 2), v);
      }
    }
  }
  return true;
}

function reverseBits(x: u32): u32 {
  x = ((x >> 1) & 0x55555555) | ((x & 0x55555555) << 1);
  x = ((x >> 2) & 0x33333333) | ((x & 0x33333333) << 2);
  x = ((x >> 4) & 0x0f0f0f0f) | ((x & 0x0f0f0f0f) << 4);
  return bswap<u32>(x);
}

// ---- bit reader for headers (the hot loop keeps its own copy in locals) ----

@inline function refill(): void {
  bitbuf |= load<u64>(inPos) << bitcnt;
  inPos += <usize> ((63 - bitcnt) >> 3);
  bitcnt |= 56;
}

/** Reads n <= 32 bits; refills first so callers only check for truncation at block ends. */
function bits(n: u32): u32 {
  if (bitcnt < n) refill();
  const v = <u32> (bitbuf & ((<u64> 1 << n) - 1));
  bitbuf >>= n;
  bitcnt -= n;
  return v;
}

/** Offset of the input byte holding the next unread bit, for error messages. */
@inline function bytePos(): usize {
  return inPos - <usize> ((bitcnt + 7) >> 3);
}

/** Whether bits past the end of the input (from the zero padding) were consumed. */
@inline function overrun(): bool {
  return (<u64> inPos << 3) - <u64> bitcnt > (<u64> inEnd << 3);
}

/** Drops the bits up to the next byte boundary and goes back to byte-wise reading. */
function alignToByte(): void {
  inPos -= <usize> (bitcnt >> 3);
  bitbuf = 0;
  bitcnt = 0;
}

function truncated(): i32 {
  return fail(E_TRUNCATED, inEnd - inBase);
}

// ---- the decoder ----

/** Decodes until the window is full or the input ends; returns 0, NEED_CRC, NEED_INPUT or an error. */
function decode(): i32 {
  while (outPos < LIMIT) {
    if (state == S_HUFFMAN) {
      const r = huffman();
      if (r != 0) return r;
    } else if (state == S_BLOCK) {
      const r = blockHeader();
      if (r != 0) return r;
    } else if (state == S_STORED || state == S_RAW) {
      const avail = <u32> (inEnd - inPos);
      const n = min(min(storedLeft, <u32> (LIMIT - outPos)), avail);
      memory.copy(WIN + <usize> outPos, inPos, n);
      inPos += n;
      outPos += <i32> n;
      storedLeft -= n;
      if (storedLeft == 0) {
        if (state == S_RAW) {
          state = S_END;
          return 0;
        }
        state = finalBlock ? S_TRAILER : S_BLOCK;
      } else if (n == avail) {
        // Raw input arrives in pieces (see feed); a stored block must be all there.
        return state == S_RAW ? NEED_INPUT : truncated();
      }
    } else if (state == S_TRAILER) {
      const r = trailer();
      if (r != 0) return r;
    } else if (state == S_MEMBER) {
      const r = memberHeader();
      if (r != 0 || state == S_END) return r;
    } else {
      return 0;
    }
  }
  return 0;
}

function memberHeader(): i32 {
  const p = inPos;
  const left = inEnd - p;
  if (members > 0 && left == 0) {
    state = S_END;
    return 0;
  }
  const off = p - inBase;
  if (members > 0 && (left < 2 || load<u8>(p) != 0x1f || load<u8>(p + 1) != 0x8b)) {
    errorA = <u32> left;
    return fail(E_TRAILING, off);
  }
  if (left < 10) return truncated();
  if (load<u8>(p + 2) != 8) {
    errorA = load<u8>(p + 2);
    return fail(E_METHOD, off + 2);
  }
  const flags = load<u8>(p + 3);
  if (flags & 0xe0) {
    errorA = flags;
    return fail(E_FLAGS, off + 3);
  }
  let q = p + 10;
  if (flags & 4) {
    if (inEnd - q < 2) return truncated();
    q += 2 + <usize> load<u16>(q);
    if (q > inEnd) return truncated();
  }
  if (flags & 8) {
    while (q < inEnd && load<u8>(q) != 0) q++;
    if (q >= inEnd) return truncated();
    q++;
  }
  if (flags & 16) {
    while (q < inEnd && load<u8>(q) != 0) q++;
    if (q >= inEnd) return truncated();
    q++;
  }
  if (flags & 2) {
    if (inEnd - q < 2) return truncated();
    const want = <u32> load<u16>(q);
    const got = crc32(0, p, <i32> (q - p)) & 0xffff;
    if (want != got) {
      errorA = want;
      errorB = got;
      return fail(E_HEADER_CRC, q - inBase);
    }
    q += 2;
  }
  members++;
  inPos = q;
  bitbuf = 0;
  bitcnt = 0;
  crc = 0;
  memberSize = 0;
  crcPos = outPos;
  memberFloor = outPos;
  finalBlock = false;
  state = S_BLOCK;
  return 0;
}

function trailer(): i32 {
  alignToByte();
  if (inPos + 8 > inEnd) return truncated();
  if (crcPos < outPos) return NEED_CRC;
  const want = load<u32>(inPos);
  if (want != crc) {
    errorA = want;
    errorB = crc;
    return fail(E_CRC, inPos - inBase);
  }
  const size = load<u32>(inPos, 4);
  if (size != memberSize) {
    errorA = size;
    errorB = memberSize;
    return fail(E_ISIZE, inPos + 4 - inBase);
  }
  inPos += 8;
  state = S_MEMBER;
  return 0;
}

function blockHeader(): i32 {
  finalBlock = bits(1) != 0;
  const type = bits(2);
  if (overrun()) return truncated();
  if (type == 0) {
    alignToByte();
    if (inPos + 4 > inEnd) return truncated();
    const len = <u32> load<u16>(inPos);
    const nlen = <u32> load<u16>(inPos, 2);
    if ((len ^ 0xffff) != nlen) {
      errorA = len;
      errorB = nlen;
      return fail(E_STORED_LEN, inPos - inBase);
    }
    inPos += 4;
    storedLeft = len;
    state = len == 0 ? (finalBlock ? S_TRAILER : S_BLOCK) : S_STORED;
    return 0;
  }
  if (type == 1) {
    litTable = FIXED_LIT;
    distTable = FIXED_DIST;
    state = S_HUFFMAN;
    return 0;
  }
  if (type == 3) return fail(E_BLOCK_TYPE, bytePos() - inBase);
  return dynamicHeader();
}

function dynamicHeader(): i32 {
  const nlit = <i32> bits(5) + 257;
  const ndist = <i32> bits(5) + 1;
  const ncl = <i32> bits(4) + 4;
  const at = bytePos() - inBase;
  if (nlit > 286 || ndist > 30) {
    errorA = <u32> nlit;
    errorB = <u32> ndist;
    return fail(E_CODE_LENGTHS, at);
  }
  memory.fill(LENS, 0, 19);
  for (let i = 0; i < ncl; i++) store<u8>(LENS + <usize> load<u8>(CL_ORDER + i), <u8> bits(3));
  if (!buildTable(LENS, 19, CL_TABLE, CL_BITS, KIND_CL)) return fail(E_CODE_LENGTHS, at);
  const total = nlit + ndist;
  let i = 0;
  while (i < total) {
    if (inPos > inEnd + 8) return truncated();
    if (bitcnt < 16) refill();
    const e = load<u32>(CL_TABLE + (<usize> (bitbuf & 0x7f) << 2));
    if (e == INVALID) return fail(E_CODE_LENGTHS, bytePos() - inBase);
    bitbuf >>= e & 0xf;
    bitcnt -= e & 0xf;
    const sym = e >> 8;
    if (sym < 16) {
      store<u8>(LENS + i++, <u8> sym);
      continue;
    }
    let rep: i32;
    let val: u8 = 0;
    if (sym == 16) {
      if (i == 0) return fail(E_CODE_LENGTHS, bytePos() - inBase);
      val = load<u8>(LENS + i - 1);
      rep = 3 + <i32> bits(2);
    } else if (sym == 17) {
      rep = 3 + <i32> bits(3);
    } else {
      rep = 11 + <i32> bits(7);
    }
    if (i + rep > total) return fail(E_CODE_LENGTHS, bytePos() - inBase);
    memory.fill(LENS + i, val, rep);
    i += rep;
  }
  if (overrun()) return truncated();
  if (load<u8>(LENS + 256) == 0) return fail(E_CODE_LENGTHS, at); // no end-of-block code
  if (!buildTable(LENS, nlit, DYN_LIT, LIT_BITS, KIND_LIT)) return fail(E_CODE_LENGTHS, at);
  // Distance lengths follow the literal/length ones; copy them down so buildTable sees symbol 0 first.
  memory.copy(LENS, LENS + nlit, ndist);
  if (!buildTable(LENS, ndist, DYN_DIST, DIST_BITS, KIND_DIST)) return fail(E_CODE_LENGTHS, at);
  litTable = DYN_LIT;
  distTable = DYN_DIST;
  state = S_HUFFMAN;
  return 0;
}

/** The hot loop: decodes symbols of the current Huffman block into the window. */
function huffman(): i32 {
  let buf = bitbuf;
  let cnt = bitcnt;
  let ip = inPos;
  let op = outPos;
  const lit = litTable;
  const dt = distTable;
  const floor = memberFloor;
  const ipLimit = inEnd + 8; // past this, bits from the zero padding were consumed
  const win = WIN;
  let status: i32 = 0;
  // Each step starts with >= 56 bits buffered and the entry for them already loaded, so
  // the table load overlaps the previous match copy.
  buf |= load<u64>(ip) << cnt;
  ip += <usize> ((63 - cnt) >> 3);
  cnt |= 56;
  let e = load<u32>(lit + (<usize> (buf & ((1 << LIT_BITS) - 1)) << 2));
  while (op < LIMIT) {
    if (ip > ipLimit) {
      status = -1;
      break;
    }
    if (e & SUB) {
      buf >>= LIT_BITS;
      cnt -= LIT_BITS;
      e = load<u32>(
        lit + (<usize> (((e >> 8) & 0xffff) + <u32> (buf & ((<u64> 1 << (e & 0xf)) - 1))) << 2),
      );
    }
    if (<i32> e < 0) {
      buf >>= e & 0xf;
      cnt -= e & 0xf;
      store<u8>(win + <usize> op, <u8> (e >> 8));
      op++;
      // A second literal fits in the bits left (>= 41) without a refill.
      e = load<u32>(lit + (<usize> (buf & ((1 << LIT_BITS) - 1)) << 2));
      if (<i32> e < 0) {
        buf >>= e & 0xf;
        cnt -= e & 0xf;
        store<u8>(win + <usize> op, <u8> (e >> 8));
        op++;
        e = load<u32>(lit + (<usize> (buf & ((1 << LIT_BITS) - 1)) << 2));
      }
      buf |= load<u64>(ip) << cnt;
      ip += <usize> ((63 - cnt) >> 3);
      cnt |= 56;
      continue;
    }
    if (e & EXCEPTIONAL) {
      if (e & EOB) {
        buf >>= e & 0xf;
        cnt -= e & 0xf;
        status = 1;
        break;
      }
      status = -2;
      break;
    }
    buf >>= e & 0xf;
    cnt -= e & 0xf;
    const lenExtra = (e >> 4) & 0xf;
    const len = <i32> ((e >> 8) & 0xffff) + <i32> (buf & ((<u64> 1 << lenExtra) - 1));
    buf >>= lenExtra;
    cnt -= lenExtra;
    // >= 36 bits left: enough for a 15-bit distance code and 13 extra bits.
    let d = load<u32>(dt + (<usize> (buf & ((1 << DIST_BITS) - 1)) << 2));
    if (d & SUB) {
      buf >>= DIST_BITS;
      cnt -= DIST_BITS;
      d = load<u32>(
        dt + (<usize> (((d >> 8) & 0xffff) + <u32> (buf & ((<u64> 1 << (d & 0xf)) - 1))) << 2),
      );
    }
    if (d & INVALID) {
      status = -2;
      break;
    }
    buf >>= d & 0xf;
    cnt -= d & 0xf;
    const distExtra = (d >> 4) & 0xf;
    const dist = <i32> ((d >> 8) & 0xffff) + <i32> (buf & ((<u64> 1 << distExtra) - 1));
    buf >>= distExtra;
    cnt -= distExtra;
    if (dist > op - floor) {
      status = -3;
      break;
    }
    buf |= load<u64>(ip) << cnt;
    ip += <usize> ((63 - cnt) >> 3);
    cnt |= 56;
    e = load<u32>(lit + (<usize> (buf & ((1 << LIT_BITS) - 1)) << 2));
    let dst = win + <usize> op;
    let src = dst - <usize> dist;
    const end = dst + <usize> len;
    op += len;
    // Vector copies may run up to 31 bytes past the match (the window has slack); the
    // first 32 bytes go unconditionally since most matches are that short (MNIST: 21 on average).
    if (dist >= 16) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      dst += 32;
      src += 32;
      while (dst < end) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        dst += 32;
        src += 32;
      }
    } else if (dist == 1) {
      const v = i8x16.splat(load<u8>(src));
      v128.store(dst, v);
      v128.store(dst, v, 16);
      dst += 32;
      while (dst < end) {
        v128.store(dst, v);
        v128.store(dst, v, 16);
        dst += 32;
      }
    } else if (dist >= 8) {
      do {
        store<u64>(dst, load<u64>(src));
        dst += 8;
        src += 8;
      } while (dst < end);
    } else {
      do {
        store<u8>(dst, load<u8>(src));
        dst++;
        src++;
      } while (dst < end);
    }
  }
  bitbuf = buf;
  bitcnt = cnt;
  inPos = ip;
  outPos = op;
  if (status == 0) return 0;
  if (status == 1) {
    if (overrun()) return truncated();
    state = finalBlock ? S_TRAILER : S_BLOCK;
    return 0;
  }
  if (status == -1 || overrun()) return truncated();
  if (status == -2) return fail(E_SYMBOL, bytePos() - inBase);
  return fail(E_DISTANCE, bytePos() - inBase);
}
