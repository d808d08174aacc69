/**
 * The committed tfjs-backend-wasm binary is the npm one with its memory made
 * shared, of a fixed size, and nothing else changed, so kernel threads can
 * run on its heap.
 */
import { assert, assertEquals, thrownMessage } from "./_assert.ts";
import {
  NPM_BINARY,
  SHARED_BINARY,
  SHARED_HEAP_PAGES,
  shareMemory,
} from "../tasks/build_tfjs_wasm.ts";

/** A module's sections, as [id, bytes of the section's content]. */
function sections(wasm: Uint8Array): [number, Uint8Array][] {
  const found: [number, Uint8Array][] = [];
  for (let at = 8; at < wasm.length;) {
    let size = 0, shift = 0, byte, p = at + 1;
    do {
      byte = wasm[p++];
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    found.push([wasm[at], wasm.subarray(p, p + size)]);
    at = p + size;
  }
  return found;
}

Deno.test("src/backend/_tfjs_wasm_shared.wasm is what build:tfjs-wasm makes of the npm binary", async () => {
  const npm = await Deno.readFile(NPM_BINARY);
  const committed = await Deno.readFile(new URL(`../${SHARED_BINARY}`, import.meta.url));
  const rebuilt = shareMemory(npm);
  assertEquals(
    rebuilt.length === committed.length && rebuilt.every((b, i) => b === committed[i]),
    true,
    `${SHARED_BINARY} is stale: run \`deno task build:tfjs-wasm\` and commit it`,
  );
  // Its only difference: the memory section, one memory of flag 1 (a maximum) become one of
  // flag 3 (shared, with a maximum), of SHARED_HEAP_PAGES (2^15: LEB128 0x80 0x80 0x02) both ways.
  const [before, after] = [sections(npm), sections(committed)];
  assertEquals(after.map(([id]) => id), before.map(([id]) => id));
  for (const [i, [id, content]] of after.entries()) {
    if (id !== 5) assertEquals(content, before[i][1], `section ${i} (id ${id})`);
    else {
      assertEquals(before[i][1][1], 1);
      assertEquals(SHARED_HEAP_PAGES, 2 ** 15);
      assertEquals([...content], [1, 3, 0x80, 0x80, 0x02, 0x80, 0x80, 0x02]);
    }
  }
});

Deno.test("shareMemory makes a module's memory shared and of a fixed size, with or without a maximum before", () => {
  // magic, version, then a memory section: one memory, flag 0 (no maximum), 1 page; then flag 1, 1 to 9.
  const header = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  for (const memory of [[5, 3, 1, 0, 1], [5, 4, 1, 1, 1, 9]]) {
    const shared = shareMemory(new Uint8Array([...header, ...memory]), 7);
    assertEquals([...shared.slice(8)], [5, 4, 1, 3, 7, 7]);
    // A valid module: its memory is shared, of 7 pages, and cannot grow.
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(shared));
    assertEquals(Object.keys(exports), []);
  }
});

Deno.test("shareMemory refuses a module that defines no memory", () => {
  const empty = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  assert(thrownMessage(() => shareMemory(empty)).includes("defines no memory"));
});
