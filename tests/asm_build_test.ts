/**
 * The committed `.wasm` builds are exactly what `deno task build:asm` makes of
 * the sources, so nobody ships a kernel whose source and binary disagree.
 */
import { assertEquals } from "./_assert.ts";
import { compileKernel, kernelNames } from "../tasks/build_asm.ts";

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
