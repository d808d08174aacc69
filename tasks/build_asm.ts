/**
 * Builds every AssemblyScript kernel in `asm/` into its committed `.wasm`.
 *
 * One kernel per file: `asm/<name>.ts` becomes `asm/<name>.wasm`; files whose
 * name starts with `_` are shared AssemblyScript helpers, imported by kernels
 * and never built on their own. The flags give modules with no host imports
 * (`--use abort=` drops the only one AssemblyScript adds), so each `.wasm`
 * loads as a plain Deno Wasm-module import, locally and from a URL.
 *
 * A kernel may add flags in a line of its own source, `// asc-flags: ...`:
 * the training kernels take `--importMemory` so that they run on
 * tfjs-backend-wasm's heap and read and write its tensors in place.
 *
 * ```sh
 * deno task build:asm          # rebuild every kernel
 * deno task build:asm tsne     # rebuild one
 * ```
 *
 * @module
 */
import asc from "assemblyscript/asc";

const ASM_DIR = new URL("../asm/", import.meta.url);

/** The flags every kernel is built with; the committed `.wasm` files depend on them. */
export const ASC_FLAGS: readonly string[] = [
  "-O3",
  "--enable",
  "simd",
  "--runtime",
  "stub",
  "--noAssert",
  "--use",
  "abort=",
];

/** Names of the kernels in `asm/` (file stems, helpers excluded), sorted. */
export function kernelNames(): string[] {
  const names: string[] = [];
  for (const entry of Deno.readDirSync(ASM_DIR)) {
    if (entry.isFile && entry.name.endsWith(".ts") && !entry.name.startsWith("_")) {
      names.push(entry.name.slice(0, -3));
    }
  }
  return names.sort();
}

/** The extra flags `asm/<name>.ts` asks for in a `// asc-flags: ...` line. */
export function kernelFlags(name: string): string[] {
  const source = Deno.readTextFileSync(new URL(`${name}.ts`, ASM_DIR));
  return source.match(/^\/\/ asc-flags: (.+)$/m)?.[1].trim().split(/\s+/) ?? [];
}

/** Compiles `asm/<name>.ts` in memory and returns the `.wasm` bytes. */
export async function compileKernel(name: string): Promise<Uint8Array> {
  let wasm: Uint8Array | undefined;
  const stderr: string[] = [];
  const { error } = await asc.main(
    [`${name}.ts`, ...ASC_FLAGS, ...kernelFlags(name), "--outFile", `${name}.wasm`],
    {
      readFile: (file: string, baseDir: string) => {
        try {
          return Deno.readTextFileSync(new URL(`${baseDir}/${file}`.replace(/^\.\//, ""), ASM_DIR));
        } catch {
          return null;
        }
      },
      writeFile: (file: string, contents: Uint8Array | string) => {
        if (file.endsWith(".wasm") && typeof contents !== "string") wasm = contents;
      },
      listFiles: () => [],
      stdout: { write: () => true },
      stderr: { write: (s: string | Uint8Array) => (stderr.push(String(s)), true) },
    } as unknown as Parameters<typeof asc.main>[1],
  );
  if (error || !wasm) {
    throw new Error(`asm/${name}.ts failed to compile:\n${stderr.join("")}${error ?? ""}`);
  }
  return wasm;
}

if (import.meta.main) {
  const names = Deno.args.length ? Deno.args : kernelNames();
  for (const name of names) {
    const bytes = await compileKernel(name);
    const target = new URL(`${name}.wasm`, ASM_DIR);
    const tmp = new URL(`${name}.wasm.tmp`, ASM_DIR);
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, target);
    console.log(`asm/${name}.wasm  ${bytes.length} bytes`);
  }
}
