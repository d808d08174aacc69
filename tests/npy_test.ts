/**
 * `.npy` and `.npz` reading and writing: round trips, the three format
 * versions, every dtype NumPy writes for numbers (bool, int8-int64,
 * uint8-uint64, float16/32/64) in both byte orders and C and Fortran order,
 * read from files NumPy wrote (`tests/fixtures/npy/`, made by its
 * `make_fixtures.py`); errors naming the file and offset for object and text
 * dtypes and truncated files; and interchange with NumPy itself when
 * /usr/bin/python3 has it (skipped otherwise).
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { NpyError, readNpy, writeNpy } from "../src/io/npy.ts";
import { readNpz } from "../src/io/npz.ts";
import { loadTsneInput } from "../src/tsne/input.ts";
import { fflate } from "../src/deps.ts";

const PYTHON = "/usr/bin/python3";

function header(version: number, dict: string): Uint8Array {
  const prefix = version === 1 ? 10 : 12;
  const text = dict.padEnd(Math.ceil((prefix + dict.length + 1) / 64) * 64 - prefix - 1) + "\n";
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(prefix + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, body.length, true);
  else view.setUint32(8, body.length, true);
  out.set(body, prefix);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), o += p.length);
  return out;
}

Deno.test("npy round-trips every dtype and shape", () => {
  const cases = [
    { data: new Float32Array([1.5, -2, 3, 4, 5, 6]), shape: [2, 3] },
    { data: new Float64Array([Math.PI, -1e300]), shape: [2] },
    { data: new Uint8Array([0, 255, 7, 8]), shape: [2, 1, 2] },
    { data: new Int32Array([-2147483648, 2147483647, 0]), shape: [3] },
    { data: new Float32Array([42]), shape: [] },
    { data: new Float32Array(0), shape: [0, 5] },
  ];
  for (const { data, shape } of cases) {
    const bytes = writeNpy(data, shape);
    const headerEnd = bytes.length - data.byteLength;
    assertEquals(headerEnd % 64, 0, "data starts 64-byte aligned");
    const back = readNpy(bytes);
    assertEquals(back.shape, shape);
    assertEquals(back.data.constructor, data.constructor);
    assertEquals([...back.data], [...data]);
  }
});

Deno.test("npy reads versions 2 and 3 and big-endian data", () => {
  const values = new Float64Array([1.25, -3.5]);
  const le = new Uint8Array(values.buffer);
  for (const version of [1, 2, 3]) {
    const bytes = concat(
      header(version, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"),
      le,
    );
    assertEquals([...readNpy(bytes).data], [1.25, -3.5], `version ${version}`);
  }
  const be = new Uint8Array(8);
  new DataView(be.buffer).setInt32(0, -5, false);
  new DataView(be.buffer).setInt32(4, 70000, false);
  const bytes = concat(header(1, "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }"), be);
  assertEquals([...readNpy(bytes).data], [-5, 70000]);
});

Deno.test("npy errors name the file, the offset and what was expected", async () => {
  const good = writeNpy(new Float32Array([1, 2]), [2]);
  await assertRejects(() => readNpy(new Uint8Array(20), { source: "a.npy" }), "a.npy", "magic");
  await assertRejects(
    () => readNpy(good.subarray(0, good.length - 1), { source: "b.npy" }),
    "b.npy",
    "needs 8 data bytes",
  );
  const complex = concat(
    header(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"),
    new Uint8Array(8),
  );
  const e = await assertRejects(() => readNpy(complex), "'<c8'", "complex");
  assert(e instanceof NpyError);
  await assertRejects(() => writeNpy(new Float32Array(3), [2, 2]), "holds 4 values");
});

Deno.test("npz archives are read by array name", () => {
  const zip = fflate.zipSync({
    "test_features.npy": writeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]),
    "test_labels.npy": writeNpy(new Uint8Array([3, 9])),
  });
  const arrays = readNpz(zip);
  assertEquals(Object.keys(arrays).sort(), ["test_features", "test_labels"]);
  assertEquals(arrays.test_features.shape, [2, 2]);
  assertEquals([...arrays.test_labels.data], [3, 9]);
});

const FIXTURES = "tests/fixtures/npy";
const DTYPES = [
  "bool",
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
  "float16",
  "float32",
  "float64",
];

/** Fails unless the arrays hold the same numbers (NaN, infinities and -0 included). */
function assertSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string) {
  assertEquals(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert(Object.is(actual[i], expected[i]), `${what}[${i}]: ${actual[i]} != ${expected[i]}`);
  }
}

Deno.test("every dtype NumPy writes, in both byte orders and C and Fortran order, reads as NumPy wrote it", async () => {
  const arrays = readNpz(await Deno.readFile(`${FIXTURES}/dtypes.npz`), { source: "dtypes.npz" });
  let read = 0;
  for (const dtype of DTYPES) {
    const expected = arrays[`expected_${dtype}`];
    for (const order of ["na", "le", "be"]) {
      for (const layout of ["c", "f"]) {
        const a = arrays[`${dtype}_${order}_${layout}`];
        if (!a) continue;
        const what = `${dtype}_${order}_${layout}`;
        assertEquals([a.dtype, a.shape], [dtype, [2, 3, 4]], what);
        assertSame(a.data, expected.data, what);
        read++;
      }
    }
  }
  assertEquals(
    read,
    3 * 2 + 9 * 4,
    "3 one-byte dtypes x C/F (bool, int8, uint8), 9 others x 2 orders x C/F",
  );
  const f16 = arrays.float16_be_f.data;
  assertEquals([f16[0], f16[4], f16[8], f16[23]], [-65504, 2 ** -24, -Infinity, 65504]);
  assertEquals(arrays.int64_le_c.data[0], -(2 ** 53 - 1));
  assertEquals(arrays.uint64_be_c.data[23], 2 ** 53 - 1);
});

Deno.test("a Fortran-order .npy reads in C order; a compressed .npz reads like a stored one", async () => {
  const a = readNpy(await Deno.readFile(`${FIXTURES}/features_f8_fortran.npy`));
  assertEquals(a.shape, [12, 2]);
  assertSame(
    a.data,
    Array.from({ length: 24 }, (_, i) => i / 4),
    "np.arange(24.0).reshape(12, 2) / 4",
  );
  const { x, y } = readNpz(await Deno.readFile(`${FIXTURES}/compressed.npz`));
  assertEquals([x.dtype, x.shape, [...x.data]], ["uint8", [2, 3], [0, 1, 2, 3, 4, 5]]);
  assertEquals([y.dtype, [...y.data]], ["int64", [3, 1]]);
});

Deno.test("int64 labels, numpy's default integers, are accepted by tsne's reader", async () => {
  const features = `${FIXTURES}/features_f8_fortran.npy`;
  const labels = `${FIXTURES}/labels_int64.npy`;
  const input = await loadTsneInput(features, { labels });
  assertEquals([input.n, input.dims], [12, 2]);
  assertEquals([...input.labels!], Array.from({ length: 12 }, (_, i) => i % 3));
  assertEquals(input.data[1], 0.25, "row 0 is (0, 0.25); the file's second value is 0.5");
});

Deno.test("tsne reads a .npz by the keys Keras' archives use, int64 labels included", async () => {
  const input = await loadTsneInput(`${FIXTURES}/keras_test.npz`);
  assertEquals([input.n, input.dims, [...input.labels!]], [5, 3, [0, 1, 1, 7, 2]]);
  assertEquals(input.defaultOutDir, FIXTURES);
});

Deno.test("object, structured and text dtypes are refused naming the file, offset and why", async () => {
  for (
    const [name, why] of [
      ["object.npy", "dtype '|O': an object array"],
      ["structured.npy", "structured"],
      ["text.npy", "a string array holds text"],
    ]
  ) {
    const path = `${FIXTURES}/${name}`;
    const e = await assertRejects(
      async () => readNpy(await Deno.readFile(path), { source: path }),
      `${path}: at byte 10:`,
      why,
    );
    assert(e instanceof NpyError, String(e));
  }
});

Deno.test("truncated .npy and .npz files are errors naming the file and the offset where they end", async () => {
  const bytes = await Deno.readFile(`${FIXTURES}/labels_int64.npy`);
  // 12 int64 labels after a 128-byte header: cut inside element 5.
  await assertRejects(
    () => readNpy(bytes.subarray(0, 128 + 5 * 8 + 3), { source: "y.npy" }),
    "y.npy: at byte 168:",
    "ends in element 5 (truncated)",
  );
  await assertRejects(
    () => readNpy(bytes.subarray(0, 40), { source: "y.npy" }),
    "y.npy: at byte 40:",
    "runs past the end (truncated)",
  );
  const zip = await Deno.readFile(`${FIXTURES}/compressed.npz`);
  await assertRejects(
    () => readNpz(zip.subarray(0, 200), { source: "d.npz" }),
    "d.npz: at byte 200:",
    "truncated",
  );
  await assertRejects(() => readNpz(bytes, { source: "y.npy" }), "y.npy: at byte 0:", "zip");
});

Deno.test("int64 values beyond 2^53 are refused, naming the element and its offset", async () => {
  const big = new Uint8Array(16);
  new DataView(big.buffer).setBigInt64(8, 2n ** 60n, true);
  await assertRejects(
    () =>
      readNpy(
        concat(header(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }"), big),
        { source: "z.npy" },
      ),
    "z.npy: at byte 136:",
    "element 1 exceeds 2^53",
  );
});

async function numpyAvailable(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command(PYTHON, { args: ["-c", "import numpy"] }).output();
    return success;
  } catch {
    return false; // no python, or no --allow-run for it
  }
}

Deno.test({
  name: "npy files interchange with NumPy (skipped without /usr/bin/python3 + numpy)",
  ignore: !(await numpyAvailable()),
  fn: async () => {
    const dir = await Deno.makeTempDir({ dir: ".tmp" });
    try {
      const ours = new Float32Array([0.5, -1, 2.25, 3e-8, 5, 6]);
      await Deno.writeFile(`${dir}/ours.npy`, writeNpy(ours, [3, 2]));
      await Deno.writeFile(`${dir}/big.npy`, writeNpy(new Uint8Array(70000).fill(1), [70000]));
      const script = `
import numpy as np, sys
d = sys.argv[1]
a = np.load(d + "/ours.npy")
assert a.dtype == np.float32 and a.shape == (3, 2), (a.dtype, a.shape)
assert np.array_equal(a.ravel(), np.array([0.5, -1, 2.25, 3e-8, 5, 6], dtype=np.float32))
assert np.load(d + "/big.npy").sum() == 70000
np.save(d + "/f8.npy", np.arange(12, dtype=np.float64).reshape(3, 4) / 8)
np.save(d + "/u1.npy", np.array([[1, 2], [3, 250]], dtype=np.uint8))
np.save(d + "/i4.npy", np.array([-7, 1 << 30], dtype=np.int32))
np.save(d + "/f4be.npy", np.array([1.5, -2.0], dtype=">f4"))
np.lib.format.write_array(open(d + "/v2.npy", "wb"), np.ones((2, 2), np.float32), version=(2, 0))
np.lib.format.write_array(open(d + "/v3.npy", "wb"), np.ones(3, np.float32), version=(3, 0))
`;
      const out = await new Deno.Command(PYTHON, { args: ["-c", script, dir] }).output();
      assert(out.success, `numpy failed: ${new TextDecoder().decode(out.stderr)}`);
      const read = async (name: string) => readNpy(await Deno.readFile(`${dir}/${name}`));
      const f8 = await read("f8.npy");
      assertEquals(f8.shape, [3, 4]);
      assertEquals([...f8.data], Array.from({ length: 12 }, (_, i) => i / 8));
      assertEquals([...(await read("u1.npy")).data], [1, 2, 3, 250]);
      assertEquals([...(await read("i4.npy")).data], [-7, 1 << 30]);
      assertEquals([...(await read("f4be.npy")).data], [1.5, -2]);
      assertEquals((await read("v2.npy")).shape, [2, 2]);
      assertEquals([...(await read("v3.npy")).data], [1, 1, 1]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
