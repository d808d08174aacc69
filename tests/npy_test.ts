/**
 * `.npy` reading and writing: round trips, the three format versions, byte
 * order, specific errors, and interchange with NumPy itself when
 * /usr/bin/python3 has it (skipped otherwise).
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { NpyError, readNpy, writeNpy } from "../src/io/npy.ts";
import { readNpz } from "../src/io/npz.ts";
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
  const fortran = concat(
    header(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }"),
    new Uint8Array(8),
  );
  await assertRejects(() => readNpy(fortran), "Fortran-order");
  const complex = concat(
    header(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"),
    new Uint8Array(8),
  );
  const e = await assertRejects(() => readNpy(complex), "'<c8'", "float32");
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
