/**
 * `mod.ts` works imported from a URL: a separate Deno process, with no config
 * of ours, imports `http://127.0.0.1:<port>/mod.ts`, trains a few steps on a
 * subset and embeds 500 points with t-SNE, granted only the import of that
 * host, a read of the packaged MNIST folder and a write of its output folder.
 */
import { assert, assertEquals } from "./_assert.ts";
import { packagedMnistDir } from "../src/data/mnist.ts";

const TYPES: Record<string, string> = {
  ".ts": "application/typescript",
  ".js": "application/javascript",
  ".json": "application/json",
  ".wasm": "application/wasm",
};

Deno.test("a script imports mod.ts over http, trains and runs t-SNE with narrow permissions", async () => {
  const root = new URL("../", import.meta.url);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    if (path.includes("..")) return new Response("no", { status: 400 });
    try {
      const body = await Deno.readFile(new URL(`.${path}`, root));
      const type = Object.entries(TYPES).find(([ext]) => path.endsWith(ext))?.[1] ??
        "application/octet-stream";
      return new Response(body, { headers: { "content-type": type } });
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  const host = `127.0.0.1:${server.addr.port}`;
  await Deno.mkdir(".tmp", { recursive: true });
  const work = Deno.realPathSync(await Deno.makeTempDir({ dir: ".tmp", prefix: "url_" }));
  const script = `${work}/user_script.ts`;
  await Deno.writeTextFile(
    script,
    `import { encode, floatImages, train, tsne } from "http://${host}/mod.ts";
const { runDir, metrics, autoencoder } = await train({
  model: "conv", epochs: 1, trainSize: 256, testSize: 500, batchSize: 64,
  backend: "wasm", out: "${work}/run", quiet: true, log: () => {},
});
const { loadMnist } = await import("http://${host}/mod.ts");
const { test } = await loadMnist({ testSize: 500 });
const features = encode(autoencoder, floatImages(test));
const { embedding, kl } = await tsne(features, { dims: features.length / 500, iterations: 300, seed: 1 });
console.log(JSON.stringify({ runDir, loss: metrics[0].test_loss, points: embedding.length / 2, kl }));
`,
  );
  try {
    const out = await new Deno.Command("deno", {
      args: [
        "run",
        "--no-config",
        "--no-lock",
        `--allow-import=${host}`,
        `--allow-read=${packagedMnistDir()},${work}/run`,
        `--allow-write=${work}/run`,
        script,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert(out.success, `the script failed:\n${stderr.slice(-3000)}`);
    const result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    assertEquals(result.points, 500);
    assert(Number.isFinite(result.loss) && Number.isFinite(result.kl), JSON.stringify(result));
    assert((await Deno.stat(`${work}/run/checkpoint/model.json`)).isFile);
  } finally {
    await server.shutdown();
  }
});
