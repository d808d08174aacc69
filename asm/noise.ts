// deno-fmt-ignore-file: AssemblyScript decorators (@inline) are not TypeScript; the formatter drops them.
// Noise injection for denoising autoencoders, in place over a float32 buffer:
// Gaussian (x + sigma N(0,1), clipped), masking (a fraction set to 0) and
// salt-and-pepper (a fraction set to max or min, half each).
//
// Randomness is counter-based: element g of the stream (its global index) gets
// bits that are a hash of (key, g) alone, so the noise of an element does not
// depend on how the data was split into calls. The host passes the low 32 bits of
// g and folds the high bits into the keys. Gaussians come in Box-Muller pairs:
// elements 2p and 2p+1 are r cos t and r sin t of pair p.
//
// Host protocol (src/noise.ts): write up to CAPACITY floats at buffer(), call a
// kernel with n and the global index lo of the first element, read them back.

const CAPACITY: i32 = 1 << 16;
const BUF: usize = memory.data(CAPACITY * 4 + 64, 64);
const TMP: usize = memory.data(32, 16); // one block of 8 normals, for blocks cut by the range ends

export function buffer(): usize {
  return BUF;
}

export function capacity(): i32 {
  return CAPACITY;
}

// ---- constants ----

// The loops' vector constants, one 4-byte word each in memory, broadcast at each
// use by one load (v128.load32_splat, at an address V8 needs no bounds check for).
// Written as splats of literals, V8 builds each anew at each use inside a loop:
// three instructions (a 64-bit immediate, a move to a vector register, a
// broadcast), 106 of the 234 a block of eight normals took; 142 now.
const LANES: usize = memory.data<i32>([0, 1, 2, 3], 16);
const FMIX_M1: usize = memory.data<i32>([0x85ebca6b]);
const FMIX_M2: usize = memory.data<i32>([0xc2b2ae35]);
const TWO_M24: usize = memory.data<f32>([1.0 / 16777216.0]);
const MINUS_TWO: usize = memory.data<f32>([-2.0]);
const ANGLE_STEP: usize = memory.data<f32>([<f32> (Math.PI / 2 / 4194304.0)]);
const QUARTER_PI: usize = memory.data<f32>([<f32> (Math.PI / 4)]);
const SIN7: usize = memory.data<f32>([<f32> (-1.0 / 5040)]);
const SIN5: usize = memory.data<f32>([<f32> (1.0 / 120)]);
const SIN3: usize = memory.data<f32>([<f32> (-1.0 / 6)]);
const COS8: usize = memory.data<f32>([<f32> (1.0 / 40320)]);
const COS6: usize = memory.data<f32>([<f32> (-1.0 / 720)]);
const COS4: usize = memory.data<f32>([<f32> (1.0 / 24)]);
const MINUS_HALF: usize = memory.data<f32>([-0.5]);
const ONE_F: usize = memory.data<f32>([1]);
const THREE_I: usize = memory.data<i32>([3]);
const ONE_I: usize = memory.data<i32>([1]);
const SIGN_BIT: usize = memory.data<i32>([0x80000000]);
const LN_SHIFT: usize = memory.data<i32>([0x3f800000 - 0x3f3504f3]);
const EXP_BIAS: usize = memory.data<i32>([0x7f]);
const MANTISSA: usize = memory.data<i32>([0x007fffff]);
const SQRT_HALF_BITS: usize = memory.data<i32>([0x3f3504f3]);
const ATANH9: usize = memory.data<f32>([<f32> (1.0 / 9)]);
const ATANH7: usize = memory.data<f32>([<f32> (1.0 / 7)]);
const ATANH5: usize = memory.data<f32>([<f32> (1.0 / 5)]);
const ATANH3: usize = memory.data<f32>([<f32> (1.0 / 3)]);
const TWO_F: usize = memory.data<f32>([2]);
const LN2: usize = memory.data<f32>([<f32> Math.LN2]);

/** The word at `at` in every lane. */
@inline function word(at: usize): v128 {
  return v128.load32_splat(at);
}

// ---- counter-based hashing: two keyed rounds of the murmur3 finaliser ----

@inline function fmix(x: u32): u32 {
  x ^= x >> 16;
  x *= 0x85ebca6b;
  x ^= x >> 13;
  x *= 0xc2b2ae35;
  return x ^ (x >> 16);
}

@inline function fmix4(x: v128): v128 {
  x = v128.xor(x, i32x4.shr_u(x, 16));
  x = i32x4.mul(x, word(FMIX_M1));
  x = v128.xor(x, i32x4.shr_u(x, 13));
  x = i32x4.mul(x, word(FMIX_M2));
  return v128.xor(x, i32x4.shr_u(x, 16));
}

@inline function hash(g: u32, k0: u32, k1: u32): u32 {
  return fmix(fmix(g ^ k0) ^ k1);
}

@inline function hash4(g: v128, k0: v128, k1: v128): v128 {
  return fmix4(v128.xor(fmix4(v128.xor(g, k0)), k1));
}

// ---- Gaussian ----

/**
 * Eight normals for pairs p..p+3 (elements 2p..2p+7), interleaved cos/sin, as two
 * vectors written at `out`. r = sqrt(-2 ln u) with u in (0, 1] from 24 hash bits; the
 * angle is a quarter turn picked by 2 bits plus a uniform offset in [-pi/4, pi/4)
 * from 22 bits, so sin and cos only need short polynomials.
 */
@inline function normals8(p: u32, k0: v128, k1: v128, out: usize): void {
  // The angle's bits are one keyed round of the pair index, the radius's a second round.
  const pairs = i32x4.add(i32x4.splat(p), v128.load(LANES));
  const h2 = fmix4(v128.xor(pairs, k0));
  const h1 = fmix4(v128.xor(h2, k1));
  // u = (top 24 bits + 1) / 2^24: exact in f32, never 0.
  const u = f32x4.mul(
    f32x4.convert_i32x4_s(i32x4.add(i32x4.shr_u(h1, 8), word(ONE_I))),
    word(TWO_M24),
  );
  const r = f32x4.sqrt(f32x4.mul(word(MINUS_TWO), ln4(u)));
  // phi uniform in [-pi/4, pi/4) from the top 22 bits (the quarter turn uses the lowest 2).
  const v = f32x4.convert_i32x4_s(i32x4.shr_u(h2, 10));
  const phi = f32x4.sub(
    f32x4.mul(v, word(ANGLE_STEP)),
    word(QUARTER_PI),
  );
  const phi2 = f32x4.mul(phi, phi);
  // Taylor to phi^7 / phi^8 on |phi| <= pi/4: errors below 3.2e-7 and 2.5e-8.
  let s = f32x4.add(
    f32x4.mul(phi2, word(SIN7)),
    word(SIN5),
  );
  s = f32x4.add(f32x4.mul(phi2, s), word(SIN3));
  s = f32x4.add(f32x4.mul(phi2, s), word(ONE_F));
  s = f32x4.mul(phi, s);
  let c = f32x4.add(
    f32x4.mul(phi2, word(COS8)),
    word(COS6),
  );
  c = f32x4.add(f32x4.mul(phi2, c), word(COS4));
  c = f32x4.add(f32x4.mul(phi2, c), word(MINUS_HALF));
  c = f32x4.add(f32x4.mul(phi2, c), word(ONE_F));
  // Quarter turns: odd ones swap cos and sin, turns 1 and 2 negate the new cos,
  // 2 and 3 the new sin (rotation by 90 degrees q times).
  const q = v128.and(h2, word(THREE_I));
  const swap = i32x4.eq(v128.and(q, word(ONE_I)), word(ONE_I));
  const cs = v128.bitselect(s, c, swap);
  const sn = v128.bitselect(c, s, swap);
  const signBit = word(SIGN_BIT);
  const negC = v128.and(
    i32x4.eq(i32x4.shr_u(i32x4.add(q, word(ONE_I)), 1), word(ONE_I)),
    signBit,
  );
  const negS = v128.and(i32x4.eq(i32x4.shr_u(q, 1), word(ONE_I)), signBit);
  const z0 = f32x4.mul(r, v128.xor(cs, negC));
  const z1 = f32x4.mul(r, v128.xor(sn, negS));
  v128.store(out, v128.shuffle<f32>(z0, z1, 0, 4, 1, 5));
  v128.store(out, v128.shuffle<f32>(z0, z1, 2, 6, 3, 7), 16);
}

/** Natural log for u in (0, 1]: exponent plus 2 atanh(s), s = (m - 1) / (m + 1), m in [0.707, 1.414). */
@inline function ln4(u: v128): v128 {
  // musl's logf reduction: shift the bits so the mantissa lands in [sqrt(1/2), sqrt(2)).
  const bits = i32x4.add(u, word(LN_SHIFT));
  const e = i32x4.sub(i32x4.shr_s(bits, 23), word(EXP_BIAS));
  const m = i32x4.add(v128.and(bits, word(MANTISSA)), word(SQRT_HALF_BITS));
  const s = f32x4.div(f32x4.sub(m, word(ONE_F)), f32x4.add(m, word(ONE_F)));
  const s2 = f32x4.mul(s, s);
  let t = f32x4.add(f32x4.mul(s2, word(ATANH9)), word(ATANH7));
  t = f32x4.add(f32x4.mul(s2, t), word(ATANH5));
  t = f32x4.add(f32x4.mul(s2, t), word(ATANH3));
  t = f32x4.add(f32x4.mul(s2, t), word(ONE_F));
  const lnm = f32x4.mul(f32x4.mul(s, word(TWO_F)), t);
  return f32x4.add(f32x4.mul(f32x4.convert_i32x4_s(e), word(LN2)), lnm);
}

/**
 * y = clamp(x + sigma z, low, high) for the n floats at buffer(), element j being
 * stream element lo + j (lo + n <= 2^32).
 */
export function gaussian(
  n: i32,
  lo: u32,
  key0: u32,
  key1: u32,
  sigma: f32,
  low: f32,
  high: f32,
): void {
  const k0 = i32x4.splat(key0);
  const k1 = i32x4.splat(key1);
  const sg = f32x4.splat(sigma);
  const lower = f32x4.splat(low);
  const upper = f32x4.splat(high);
  let g = <u64> lo;
  const end = g + <u64> n;
  let ptr = BUF;
  while (g < end) {
    const first = g & ~(<u64> 7); // blocks of 4 pairs start at multiples of 8
    normals8(<u32> (first >> 1), k0, k1, TMP);
    if (g == first && g + 8 <= end) {
      const z0 = v128.load(TMP);
      const z1 = v128.load(TMP, 16);
      v128.store(
        ptr,
        f32x4.pmin(f32x4.pmax(f32x4.add(v128.load(ptr), f32x4.mul(sg, z0)), lower), upper),
      );
      v128.store(
        ptr,
        f32x4.pmin(f32x4.pmax(f32x4.add(v128.load(ptr, 16), f32x4.mul(sg, z1)), lower), upper),
        16,
      );
      ptr += 32;
      g += 8;
    } else {
      const stop = min(first + 8, end);
      for (; g < stop; g++) {
        const z = load<f32>(TMP + (<usize> (g - first) << 2));
        store<f32>(ptr, Mathf.min(Mathf.max(load<f32>(ptr) + sigma * z, low), high));
        ptr += 4;
      }
    }
  }
}

// ---- masking and salt-and-pepper ----

/** Sets to 0 each element whose hash falls below threshold (= p 2^31, on the hash's top 31 bits). */
export function mask(n: i32, lo: u32, key0: u32, key1: u32, threshold: u32): void {
  const k0 = i32x4.splat(key0);
  const k1 = i32x4.splat(key1);
  const thr = i32x4.splat(threshold);
  let ptr = BUF;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const h = hash4(i32x4.add(i32x4.splat(lo + j), v128.load(LANES)), k0, k1);
    const hit = i32x4.lt_u(i32x4.shr_u(h, 1), thr);
    v128.store(ptr, v128.andnot(v128.load(ptr), hit));
    ptr += 16;
  }
  for (; j < n; j++) {
    if (hash(lo + j, key0, key1) >> 1 < threshold) store<f32>(ptr, 0);
    ptr += 4;
  }
}

/** Sets each element whose hash falls below threshold to high or low, by the hash's lowest bit. */
export function saltPepper(
  n: i32,
  lo: u32,
  key0: u32,
  key1: u32,
  threshold: u32,
  low: f32,
  high: f32,
): void {
  const k0 = i32x4.splat(key0);
  const k1 = i32x4.splat(key1);
  const thr = i32x4.splat(threshold);
  const lower = f32x4.splat(low);
  const upper = f32x4.splat(high);
  const one = word(ONE_I);
  let ptr = BUF;
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const h = hash4(i32x4.add(i32x4.splat(lo + j), v128.load(LANES)), k0, k1);
    const hit = i32x4.lt_u(i32x4.shr_u(h, 1), thr);
    const salt = i32x4.eq(v128.and(h, one), one);
    const value = v128.bitselect(upper, lower, salt);
    v128.store(ptr, v128.bitselect(value, v128.load(ptr), hit));
    ptr += 16;
  }
  for (; j < n; j++) {
    const h = hash(lo + j, key0, key1);
    if (h >> 1 < threshold) store<f32>(ptr, h & 1 ? high : low);
    ptr += 4;
  }
}
