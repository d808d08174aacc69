/**
 * `deno task tsne` end to end on small inputs: a .npy with labels, a CSV with
 * a label column, a run folder's features.npz; the four outputs and their
 * contents; the errors for bad input.
 */
import { assert, assertEquals, assertRejects } from "./_assert.ts";
import { clusters } from "./_tsne_fixtures.ts";
import { readNpy, writeNpy } from "../src/io/npy.ts";
import { fflate } from "../src/deps.ts";
import { tsneCommand } from "../tasks/tsne.ts";

const n = 240, dims = 6;
const { data, labels } = clusters(n, dims, 4, 21);
const FAST = ["--quiet", "--iterations", "260", "--perplexity", "10"];

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ dir: ".tmp" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function checkOutputs(dir: string, expectLabels: boolean): Promise<void> {
  const embedding = readNpy(await Deno.readFile(`${dir}/embedding.npy`));
  assertEquals(embedding.shape, [n, 2]);
  assertEquals(embedding.dtype, "float32");
  assert(embedding.data.every(Number.isFinite));
  const report = JSON.parse(await Deno.readTextFile(`${dir}/tsne.json`));
  for (const key of ["kl", "seconds", "n", "perplexity", "iterations"]) assert(key in report, key);
  assertEquals([report.n, report.perplexity, report.iterations], [n, 10, 260]);
  assert(report.kl > 0 && report.seconds.total > 0);
  assertEquals(report.neighborAccuracy10 === null, !expectLabels);
  const png = await Deno.readFile(`${dir}/tsne.png`);
  assertEquals([...png.subarray(1, 4)], [80, 78, 71]); // "PNG"
  const html = await Deno.readTextFile(`${dir}/tsne.html`);
  assert(html.includes("<canvas") && html.includes("atob("), "inline canvas plot");
  assert(!/(src|href)\s*=\s*["']?https?:/i.test(html), "no network resources");
}

Deno.test("tsne task: .npy input with --labels writes the four outputs", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/x.npy`, writeNpy(Float64Array.from(data), [n, dims]));
    await Deno.writeFile(`${dir}/y.npy`, writeNpy(Int32Array.from(labels)));
    await tsneCommand([`${dir}/x.npy`, "--labels", `${dir}/y.npy`, "--out", `${dir}/out`, ...FAST]);
    await checkOutputs(`${dir}/out`, true);
  });
});

Deno.test("tsne task: CSV with a label column, outputs beside the input", async () => {
  await withDir(async (dir) => {
    const rows = Array.from(
      { length: n },
      (_, i) => [...data.subarray(i * dims, (i + 1) * dims)].join(",") + `,${labels[i]}`,
    );
    const header = Array.from({ length: dims }, (_, a) => `f${a}`).join(",") + ",label";
    await Deno.writeTextFile(`${dir}/x.csv`, [header, ...rows].join("\n") + "\n");
    await tsneCommand([`${dir}/x.csv`, ...FAST]);
    await checkOutputs(dir, true);
  });
});

Deno.test("tsne task: a run folder's features.npz", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(
      `${dir}/features.npz`,
      fflate.zipSync({
        "test_features.npy": writeNpy(data, [n, dims]),
        "test_labels.npy": writeNpy(labels),
      }),
    );
    await tsneCommand([dir, ...FAST]);
    await checkOutputs(dir, true);
  });
});

Deno.test("tsne task: a run folder's class_names.json names the classes in its figures", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/test_features.npy`, writeNpy(data, [n, dims]));
    await Deno.writeFile(`${dir}/test_labels.npy`, writeNpy(labels));
    await Deno.writeTextFile(`${dir}/class_names.json`, '["ant","bee","cow","<doe>"]');
    await tsneCommand([dir, ...FAST]);
    const html = await Deno.readTextFile(`${dir}/tsne.html`);
    assert(html.includes('"names":{"0":"ant","1":"bee","2":"cow","3":"\\u003cdoe>"}'), html);
  });
});

Deno.test("tsne task: bad inputs fail with what was expected", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/v.npy`, writeNpy(new Float32Array(6)));
    await assertRejects(() => tsneCommand([`${dir}/v.npy`, ...FAST]), "v.npy", "2-D array");
    await Deno.writeFile(`${dir}/x.npy`, writeNpy(data, [n, dims]));
    await Deno.writeFile(`${dir}/y.npy`, writeNpy(new Uint8Array(3)));
    await assertRejects(
      () => tsneCommand([`${dir}/x.npy`, "--labels", `${dir}/y.npy`]),
      "3 labels",
      "240 rows",
    );
    await assertRejects(() => tsneCommand([dir, ...FAST]), "features.npz", "test_features.npy");
    await assertRejects(
      () => tsneCommand([`${dir}/x.npy`, "--perplexity", "abc"]),
      "--perplexity",
      "abc",
    );
  });
});

Deno.test("tsne task: an option out of range is one error line with status 2, no stack trace", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/x.npy`, writeNpy(data, [n, dims]));
    for (const [flag, value] of [["--theta", "-1"], ["--iterations", "0"], ["--perplexity", "0"]]) {
      // A value starting with a dash goes after "=" (node:util's parseArgs).
      const out = await new Deno.Command("deno", {
        args: [
          "run",
          `--allow-read=${dir}`,
          `--allow-write=${dir}`,
          "tasks/tsne.ts",
          `${dir}/x.npy`,
          `${flag}=${value}`,
        ],
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assertEquals(out.code, 2, stderr);
      assert(stderr.startsWith(`error: ${flag} ${value}: expected`), stderr);
      assert(!stderr.includes("    at "), stderr);
    }
  });
});
