// deno-fmt-ignore-file: AssemblyScript, kept as written.
// Reading a one-channel input four pixels at a time, for the convolutions'
// packing: X[b, iy, ix .. ix+3] as one vector, zeros where it leaves the image
// (the padding), so that the pixels at an edge take the same path as the rest.

/**
 * The four floats X[b, iy, ix .. ix+3] of a one-channel image batch X (b x h
 * x w), zero outside the image.
 */
// @ts-ignore: decorator
@inline
export function tapRun(x: usize, b: i32, iy: i32, ix: i32, h: i32, w: i32): v128 {
  let v = f32x4.splat(0);
  if (iy < 0 || iy >= h) return v;
  const row = x + <usize>((b * h + iy) * w) * 4;
  if (ix >= 0 && ix + 4 <= w) return v128.load(row + <usize>ix * 4);
  if (ix >= 0 && ix < w) v = f32x4.replace_lane(v, 0, load<f32>(row + <usize>ix * 4));
  if (ix + 1 >= 0 && ix + 1 < w) v = f32x4.replace_lane(v, 1, load<f32>(row + <usize>(ix + 1) * 4));
  if (ix + 2 >= 0 && ix + 2 < w) v = f32x4.replace_lane(v, 2, load<f32>(row + <usize>(ix + 2) * 4));
  if (ix + 3 >= 0 && ix + 3 < w) v = f32x4.replace_lane(v, 3, load<f32>(row + <usize>(ix + 3) * 4));
  return v;
}

/** X[b, iy, ix] of a one-channel image batch X (b x h x w), zero outside the image. */
// @ts-ignore: decorator
@inline
export function tapAt(x: usize, b: i32, iy: i32, ix: i32, h: i32, w: i32): f32 {
  return iy >= 0 && iy < h && ix >= 0 && ix < w ? load<f32>(x + <usize>((b * h + iy) * w + ix) * 4) : 0;
}
