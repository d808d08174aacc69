// deno-fmt-ignore-file: AssemblyScript decorators (@inline) are not TypeScript; the formatter drops them.
// Gather-and-scale: the bytes of a batch's samples to float32, (b - offset) / divisor,
// 16 bytes per step in SIMD. With offset 0 and divisor 255 every value is exactly
// Math.fround(b / 255); with 127.5 and 127.5 exactly Math.fround(b / 127.5 - 1): f32
// division is correctly rounded, and b - 127.5 is exact in f32.
//
// Host protocol (src/data/gather_scale.ts): copy up to capacity() sample bytes to
// input(), call scale(n, offset, divisor), read the n floats at output().

const CAPACITY: i32 = 1 << 18;
const IN: usize = memory.data(CAPACITY + 16, 16);
const OUT: usize = memory.data(CAPACITY * 4 + 64, 16);

export function input(): usize {
  return IN;
}

export function output(): usize {
  return OUT;
}

export function capacity(): i32 {
  return CAPACITY;
}

@inline function scale4(bytes: v128, offset: v128, divisor: v128): v128 {
  return f32x4.div(f32x4.sub(f32x4.convert_i32x4_u(bytes), offset), divisor);
}

/** Scales the n bytes at input() into n floats at output(). */
export function scale(n: i32, offset: f32, divisor: f32): void {
  const o = f32x4.splat(offset);
  const d = f32x4.splat(divisor);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const b = v128.load(IN + <usize> i);
    const lo = i16x8.extend_low_i8x16_u(b);
    const hi = i16x8.extend_high_i8x16_u(b);
    const at = OUT + (<usize> i << 2);
    v128.store(at, scale4(i32x4.extend_low_i16x8_u(lo), o, d));
    v128.store(at, scale4(i32x4.extend_high_i16x8_u(lo), o, d), 16);
    v128.store(at, scale4(i32x4.extend_low_i16x8_u(hi), o, d), 32);
    v128.store(at, scale4(i32x4.extend_high_i16x8_u(hi), o, d), 48);
  }
  for (; i < n; i++) {
    store<f32>(OUT + (<usize> i << 2), (<f32> load<u8>(IN + <usize> i) - offset) / divisor);
  }
}
