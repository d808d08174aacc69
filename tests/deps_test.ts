/** `src/deps.ts` pins the same versions as `deno.json`, and `deno.json` grants no blanket permission. */
import { assert, assertEquals } from "./_assert.ts";

const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));

Deno.test("every npm: specifier under src/ is pinned to deno.json's version", async () => {
  const pins = new Map<string, string>();
  for (const spec of Object.values(config.imports) as string[]) {
    const m = spec.match(/^npm:((?:@[^/]+\/)?[^@/]+)@([^/]+)$/);
    if (m) pins.set(m[1], m[2]);
  }
  const seen: string[] = [];
  for await (const file of walk(new URL("../src/", import.meta.url))) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/"npm:((?:@[^/]+\/)?[^@/"]+)@([^/"]+)[^"]*"/g)) {
      seen.push(m[1]);
      assertEquals(m[2], pins.get(m[1]), `${file.pathname}: ${m[1]}`);
    }
  }
  assert(seen.includes("@tensorflow/tfjs-core"), "src/ imports tfjs-core");
});

Deno.test("no task grants all permissions, net, run or ffi", () => {
  for (const [name, cmd] of Object.entries(config.tasks) as [string, string][]) {
    assert(!/(^|\s)(-A|--allow-all)(\s|$)/.test(cmd), `task ${name} uses -A`);
    if (name === "test" || name.startsWith("bench")) continue;
    assert(!/--allow-(net|run|ffi)\b/.test(cmd), `user-facing task ${name} asks for net/run/ffi`);
    assert(!/--allow-read(\s|$)/.test(cmd), `task ${name} reads everything`);
    assert(!/--allow-write(\s|$)/.test(cmd), `task ${name} writes everywhere`);
  }
});

async function* walk(dir: URL): AsyncGenerator<URL> {
  for await (const e of Deno.readDir(dir)) {
    const url = new URL(e.name + (e.isDirectory ? "/" : ""), dir);
    if (e.isDirectory) yield* walk(url);
    else if (e.name.endsWith(".ts")) yield url;
  }
}
