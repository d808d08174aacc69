/**
 * The committed `.wasm` builds are exactly what `deno task build:asm` makes of
 * the sources, so nobody ships a kernel whose source and binary disagree.
 */
import { assert, assertEquals, assertThrows } from "./_assert.ts";
import {
  compileKernel,
  heapKernelBindings,
  heapKernelNames,
  kernelExports,
  kernelNames,
} from "../tasks/build_asm.ts";
import { SHARED_HEAP_PAGES } from "../tasks/build_tfjs_wasm.ts";

const heap = new Set(heapKernelNames());
for (const name of kernelNames()) {
  for (const shared of heap.has(name) ? [false, true] : [false]) {
    const file = `${name}${shared ? ".shared" : ""}.wasm`;
    Deno.test(`asm/${file} is the build of asm/${name}.ts`, async () => {
      const committed = await Deno.readFile(new URL(`../asm/${file}`, import.meta.url));
      const rebuilt = await compileKernel(name, shared);
      assertEquals(
        rebuilt.length === committed.length && rebuilt.every((b, i) => b === committed[i]),
        true,
        `asm/${file} is stale: run \`deno task build:asm ${name}\` and commit it`,
      );
    });
  }
}

Deno.test("a heap kernel's two builds differ only in importing a shared memory, of the shared heap's fixed size", async () => {
  // Of the shared heap's fixed size: a memory that may grow past it is refused.
  const limits = { initial: SHARED_HEAP_PAGES, maximum: SHARED_HEAP_PAGES, shared: true };
  const fixed = new WebAssembly.Memory(limits);
  const growable = new WebAssembly.Memory({ ...limits, maximum: 2 * SHARED_HEAP_PAGES });
  for (const name of heap) {
    const [plain, shared] = await Promise.all(
      [".wasm", ".shared.wasm"].map((end) =>
        Deno.readFile(new URL(`../asm/${name}${end}`, import.meta.url))
      ),
    );
    const memoryOf = (bytes: Uint8Array) =>
      WebAssembly.Module.imports(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>))
        .filter((i) => i.kind === "memory").map((i) => `${i.module}.${i.name}`);
    assertEquals(memoryOf(plain), ["env.memory"], name);
    assertEquals(memoryOf(shared), ["env.memory"], name);
    const module = new WebAssembly.Module(shared as Uint8Array<ArrayBuffer>);
    new WebAssembly.Instance(module, { env: { memory: fixed } });
    assertThrows(() => new WebAssembly.Instance(module, { env: { memory: growable } }));
    // Past the import's limits, the code is the same size to within its encoding.
    assert(
      Math.abs(shared.length - plain.length) <= 8,
      `${name}: ${plain.length} vs ${shared.length}`,
    );
  }
});

Deno.test("the heap kernels' TypeScript bindings are what build:asm generates from their sources", async () => {
  for (const [path, text] of Object.entries(heapKernelBindings())) {
    const committed = await Deno.readTextFile(new URL(`../${path}`, import.meta.url));
    assertEquals(
      committed === text,
      true,
      `${path} is stale: run \`deno task build:asm\` and commit it`,
    );
  }
});

Deno.test("each generated binding names the functions its compiled .wasm exports", async () => {
  for (const name of heapKernelNames()) {
    const bytes = await Deno.readFile(new URL(`../asm/${name}.wasm`, import.meta.url));
    const exported = WebAssembly.Module.exports(new WebAssembly.Module(bytes))
      .filter((e) => e.kind === "function").map((e) => e.name).sort();
    assertEquals(kernelExports(name).map((f) => f.name).sort(), exported, name);
  }
});

Deno.test("the signature parser reads parameters across lines and follows re-exports", () => {
  const matmul = kernelExports("matmul");
  assertEquals(matmul.map((f) => f.name), ["matmulWork", "matmul"]);
  assertEquals(matmul[1].params.slice(-4).map((p) => p.name), ["j0", "j1", "bias", "relu"]);
  const pca = kernelExports("tsne_pca");
  assertEquals(pca.slice(-2).map((f) => [f.name, f.params.length]), [["alloc", 1], ["reset", 0]]);
  assertEquals(kernelExports("adam")[0].params.length, 17);
});
