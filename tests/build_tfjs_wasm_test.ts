/**
 * The committed tfjs-backend-wasm binary is the npm one with its memory made
 * shared and nothing else changed, so kernel threads can run on its heap.
 */
import { assert, assertEquals, thrownMessage } from "./_assert.ts";
import { NPM_BINARY, SHARED_BINARY, shareMemory } from "../tasks/build_tfjs_wasm.ts";

Deno.test("src/backend/_tfjs_wasm_shared.wasm is what build:tfjs-wasm makes of the npm binary", async () => {
  const npm = await Deno.readFile(NPM_BINARY);
  const committed = await Deno.readFile(new URL(`../${SHARED_BINARY}`, import.meta.url));
  const rebuilt = shareMemory(npm);
  assertEquals(
    rebuilt.length === committed.length && rebuilt.every((b, i) => b === committed[i]),
    true,
    `${SHARED_BINARY} is stale: run \`deno task build:tfjs-wasm\` and commit it`,
  );
  // Its only difference: the memory section's flag byte (1: a maximum; 3: shared, with one).
  const differing = [...npm.keys()].filter((i) => npm[i] !== committed[i]);
  assertEquals(differing.length, 1);
  assertEquals([npm[differing[0]], committed[differing[0]]], [1, 3]);
});

Deno.test("shareMemory makes a module's memory shared, adding a maximum when it has none", () => {
  // magic, version, then a memory section: one memory, flag 0 (no maximum), 1 page.
  const plain = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 1]);
  const shared = shareMemory(plain, 7);
  assertEquals([...shared.slice(8)], [5, 4, 1, 3, 1, 7]);
  // A valid module: its memory is shared and can be instantiated.
  new WebAssembly.Instance(new WebAssembly.Module(shared));
});

Deno.test("shareMemory refuses a module that defines no memory", () => {
  const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert(thrownMessage(() => shareMemory(empty)).includes("defines no memory"));
});
