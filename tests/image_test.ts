/**
 * PNG and JPEG decoding (`src/io/image.ts`): every PNG colour type and bit
 * depth, baseline and progressive JPEGs, grey told from colour, and one
 * error naming the file for anything corrupt. The fixtures, and the pixels
 * Pillow decodes them to, were written by Pillow and ImageMagick
 * (`tests/fixtures/images/make_fixtures.py`).
 */
import { assert, assertEquals, thrownMessage } from "./_assert.ts";
import { decodeImage, imageKind } from "../src/io/image.ts";
import { readNpz } from "../src/io/npz.ts";

const DIR = "tests/fixtures/images";
const expected = readNpz(await Deno.readFile(`${DIR}/expected.npz`));
const decode = async (name: string) =>
  decodeImage(await Deno.readFile(`${DIR}/${name}`), { source: name });

Deno.test("PNGs of every colour type and depth decode to Pillow's pixels (alpha dropped, 16 bits / 257)", async () => {
  const cases = [
    ["grey8.png", "grey8", 1],
    ["grey1.png", "grey1", 1],
    ["greyalpha.png", "greyalpha", 1],
    ["grey16.png", "grey16", 1],
    ["rgb8.png", "rgb8", 3],
    ["rgba8.png", "rgba8", 3],
    ["palette.png", "palette", 3],
    ["rgb16.png", "rgb16", 3],
  ] as const;
  for (const [file, key, channels] of cases) {
    const picture = await decode(file);
    assertEquals([picture.height, picture.width, picture.channels], [6, 7, channels], file);
    assertEquals([...picture.pixels], [...expected[key].data], file);
  }
});

Deno.test("baseline and progressive JPEGs (Pillow's and ImageMagick's) decode within 2 levels of libjpeg's", async () => {
  for (
    const [file, key, channels] of [
      ["baseline.jpg", "baseline", 3],
      ["progressive.jpg", "progressive", 3],
      ["progressive_im.jpg", "progressive_im", 3],
      ["grey.jpg", "grey", 1],
    ] as const
  ) {
    const picture = await decode(file);
    assertEquals([picture.height, picture.width, picture.channels], [6, 7, channels], file);
    const want = expected[key].data;
    const worst = Math.max(...picture.pixels.map((v, i) => Math.abs(v - Number(want[i]))));
    assert(worst <= 2, `${file}: off by ${worst} from libjpeg`);
  }
  // 4:2:0 chroma: jpeg-js upsamples by repeating, libjpeg by interpolating, which on this
  // 7x6 colour ramp moves pixels by up to 29 levels; the mean stays small.
  const sub = await decode("subsampled.jpg");
  const want = expected.subsampled.data;
  const mean = sub.pixels.reduce((s, v, i) => s + Math.abs(v - Number(want[i])), 0) / want.length;
  assert(sub.channels === 3 && mean < 12, `subsampled.jpg: mean difference ${mean}`);
});

Deno.test("the format is told by the first bytes, not the name", async () => {
  const png = await Deno.readFile(`${DIR}/rgb8.png`);
  assertEquals(imageKind(png), "png");
  assertEquals(imageKind(await Deno.readFile(`${DIR}/baseline.jpg`)), "jpeg");
  assertEquals(imageKind(new TextEncoder().encode("a,b\n1,2\n")), undefined);
  assertEquals(decodeImage(png, { source: "named.jpg" }).channels, 3);
});

Deno.test("corrupt or foreign files are one error naming the file, the byte and what was expected", async () => {
  const cases = [
    ["truncated.png", "truncated.png: at byte 33: chunk IDAT of 28 bytes runs past the end"],
    ["badcrc.png", "badcrc.png: at byte 33: chunk IDAT's CRC is 0x"],
    ["corrupt.jpg", "corrupt.jpg: corrupt JPEG:"],
    ["make_fixtures.py", "make_fixtures.py: at byte 0: expected a PNG (\\x89PNG) or JPEG"],
  ];
  for (const [file, message] of cases) {
    const bytes = await Deno.readFile(`${DIR}/${file}`);
    const got = thrownMessage(() => decodeImage(bytes, { source: file }));
    assert(got.startsWith(message), `${file}: ${got}`);
  }
  const png = await Deno.readFile(`${DIR}/rgb8.png`);
  const cut = thrownMessage(() => decodeImage(png.subarray(0, 40), { source: "cut.png" }));
  assert(cut.startsWith("cut.png: at byte 33:"), cut);
});
