/**
 * The committed `.wasm` builds are exactly what `deno task build:asm` makes of
 * the sources, so nobody ships a kernel whose source and binary disagree.
 */
import { assertEquals } from "./_assert.ts";
import {
  compileKernel,
  heapKernelBindings,
  heapKernelNames,
  kernelExports,
  kernelNames,
} from "../tasks/build_asm.ts";

for (const name of kernelNames()) {
  Deno.test(`asm/${name}.wasm is the build of asm/${name}.ts`, async () => {
    const committed = await Deno.readFile(new URL(`../asm/${name}.wasm`, import.meta.url));
    const rebuilt = await compileKernel(name);
    assertEquals(
      rebuilt.length === committed.length && rebuilt.every((b, i) => b === committed[i]),
      true,
      `asm/${name}.wasm is stale: run \`deno task build:asm ${name}\` and commit it`,
    );
  });
}

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
  assertEquals(matmul.map((f) => f.name), ["matmulWork", "matmul", "biasRelu"]);
  assertEquals(matmul[2].params.map((p) => p.name), ["c", "bias", "rows", "cols", "relu"]);
  assertEquals(kernelExports("adam")[0].params.length, 17);
});
