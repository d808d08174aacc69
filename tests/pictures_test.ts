/**
 * Resizing and grey conversion of decoded pictures (`src/data/pictures.ts`),
 * against PyTorch's bilinear interpolation and Pillow's `convert("L")`
 * (`tests/fixtures/images/make_fixtures.py` wrote their outputs).
 */
import { assert, assertEquals, thrownMessage } from "./_assert.ts";
import { parseImageSize, resizeBilinear, toGrey, toRgb } from "../src/data/pictures.ts";
import { decodeImage } from "../src/io/image.ts";
import { readNpz } from "../src/io/npz.ts";

const DIR = "tests/fixtures/images";
const expected = readNpz(await Deno.readFile(`${DIR}/expected.npz`));
const rgb = decodeImage(await Deno.readFile(`${DIR}/rgb8.png`));

Deno.test("bilinear resizing, down and up, is PyTorch's (align_corners=False) rounded to 8 bits", () => {
  for (const [height, width] of [[4, 5], [9, 11]]) {
    const out = resizeBilinear(rgb, { height, width });
    assertEquals([out.height, out.width, out.channels], [height, width, 3]);
    const want = expected[`rgb8_${height}x${width}`].data;
    const worst = Math.max(...out.pixels.map((v, i) => Math.abs(v - Number(want[i]))));
    assert(worst <= 0.5 + 1e-3, `${height}x${width}: off by ${worst}`);
  }
  assertEquals(resizeBilinear(rgb, { height: 6, width: 7 }), rgb, "the same size: unchanged");
});

Deno.test("grey is Pillow's convert('L'); grey to RGB repeats the value", () => {
  const grey = toGrey(rgb);
  assertEquals(grey.channels, 1);
  assertEquals([...grey.pixels], [...expected.rgb8_grey.data]);
  assertEquals(
    [...toRgb(grey).pixels.subarray(0, 6)],
    [0, 0, 0, 30, 30, 30].map((_, i) => grey.pixels[Math.floor(i / 3)]),
  );
});

Deno.test("--image-size takes HxW and nothing else", () => {
  assertEquals(parseImageSize("24x32"), { height: 24, width: 32 });
  for (const bad of ["32", "0x4", "axb", "32x32x3", "5000x5"]) {
    assert(
      thrownMessage(() => parseImageSize(bad)).startsWith(`--image-size ${bad}: expected HxW`),
    );
  }
});
