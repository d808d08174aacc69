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
 * Those kernels are compiled but instantiated later, on tfjs's memory, so
 * their TypeScript bindings are generated here from the sources' exported
 * signatures: `src/backend/wasm_kernels/_exports.ts` (one interface per
 * kernel) and `_modules.js` / `_modules.d.ts` (the compiled modules). The
 * other kernels are imported as Wasm modules, typed by Deno from the binary.
 *
 * ```sh
 * deno task build:asm          # rebuild every kernel
 * deno task build:asm tsne     # rebuild one
 * ```
 *
 * @module
 */
import asc from "assemblyscript/asc";
import { SHARED_HEAP_PAGES } from "./build_tfjs_wasm.ts";

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

/**
 * Flags of a heap kernel's second build, for a tfjs-backend-wasm whose
 * memory is shared (kernel threads): the same code, importing a shared
 * memory of the fixed size tfjs's shared binary declares
 * ({@linkcode SHARED_HEAP_PAGES}, the initial size and the maximum alike:
 * V8 ran them 1.22-1.24x slower on one declared able to grow). A wasm
 * memory import must match the memory's sharedness, so each heap kernel
 * comes both ways.
 */
export const SHARED_FLAGS: readonly string[] = [
  "--sharedMemory",
  "--initialMemory",
  String(SHARED_HEAP_PAGES),
  "--maximumMemory",
  String(SHARED_HEAP_PAGES),
  "--enable",
  "threads",
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

/**
 * Compiles `asm/<name>.ts` in memory and returns the `.wasm` bytes; with
 * `shared`, the build for a shared memory ({@linkcode SHARED_FLAGS}).
 */
export async function compileKernel(name: string, shared = false): Promise<Uint8Array> {
  let wasm: Uint8Array | undefined;
  const stderr: string[] = [];
  const flags = [...ASC_FLAGS, ...kernelFlags(name), ...(shared ? SHARED_FLAGS : [])];
  const { error } = await asc.main(
    [`${name}.ts`, ...flags, "--outFile", `${name}.wasm`],
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

/** One exported function of a kernel: its name, parameters and result, as TypeScript types. */
export interface KernelExport {
  name: string;
  params: { name: string; type: string }[];
  result: string;
}

const TS_TYPES: Record<string, string> = {
  i8: "number",
  i16: "number",
  i32: "number",
  u8: "number",
  u16: "number",
  u32: "number",
  isize: "number",
  usize: "number",
  f32: "number",
  f64: "number",
  bool: "number",
  i64: "bigint",
  u64: "bigint",
  void: "void",
};

function exportsOf(file: string, only?: Set<string>): KernelExport[] {
  const source = Deno.readTextFileSync(new URL(file, ASM_DIR));
  const found: KernelExport[] = [];
  for (const m of source.matchAll(/^export function (\w+)\s*\(([^)]*)\)\s*:\s*(\w+)/gm)) {
    if (only && !only.has(m[1])) continue;
    const params = m[2].split(",").map((p) => p.trim()).filter(Boolean).map((p) => {
      const [, name, type] = p.match(/^(\w+)\s*:\s*(\w+)/) ?? [];
      if (!TS_TYPES[type]) throw new Error(`asm/${file}: ${m[1]}: no TypeScript type for "${p}"`);
      return { name, type: TS_TYPES[type] };
    });
    if (!TS_TYPES[m[3]]) throw new Error(`asm/${file}: ${m[1]} returns ${m[3]}`);
    found.push({ name: m[1], params, result: TS_TYPES[m[3]] });
  }
  for (const m of source.matchAll(/^export \{([^}]+)\} from "\.\/(\w+)";/gm)) {
    const names = new Set(m[1].split(",").map((n) => n.trim()));
    found.push(...exportsOf(`${m[2]}.ts`, names));
  }
  return found;
}

/** The functions `asm/<name>.ts` exports (re-exports from its helpers included), in source order. */
export function kernelExports(name: string): KernelExport[] {
  return exportsOf(`${name}.ts`);
}

/**
 * The kernels instantiated on tfjs-backend-wasm's memory: those built with
 * `--importMemory`, each also built for a shared memory (`<name>.shared.wasm`).
 */
export function heapKernelNames(): string[] {
  return kernelNames().filter((n) => kernelFlags(n).includes("--importMemory"));
}

const camel = (name: string) => name.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
const pascal = (name: string) => camel(name).replace(/^\w/, (c) => c.toUpperCase());
const GENERATED = "Generated by `deno task build:asm` from the sources in asm/: do not edit.";

/**
 * The generated bindings of the heap kernels: path (from the repository
 * root) to contents, for `src/backend/wasm_kernels/`.
 */
export function heapKernelBindings(): Record<string, string> {
  const names = heapKernelNames();
  const interfaces = names.map((n) => {
    const fns = kernelExports(n).map((f) =>
      `  ${f.name}(${f.params.map((p) => `${p.name}: ${p.type}`).join(", ")}): ${f.result};`
    );
    return `/** The exports of asm/${n}.wasm. */\nexport interface ${pascal(n)}Exports {\n${
      fns.join("\n")
    }\n}\n`;
  });
  const dir = "src/backend/wasm_kernels";
  return {
    [`${dir}/_exports.ts`]:
      `/**\n * The signatures of the kernels run on tfjs-backend-wasm's heap, as their\n` +
      ` * AssemblyScript sources declare them. ${GENERATED}\n * @module\n */\n${
        interfaces.join("\n")
      }`,
    [`${dir}/_modules.js`]: `/* @ts-self-types="./_modules.d.ts" */\n` +
      `// ${GENERATED}\n` +
      `// Source-phase imports: the kernels come compiled but not instantiated, since\n` +
      `// each must be instantiated on tfjs-backend-wasm's memory (see _heap.ts), with\n` +
      `// the build that matches it: plain, or shared for kernel threads.\n` +
      `// TypeScript cannot parse \`import source\` yet, hence this JavaScript file.\n` +
      names.map((n) =>
        `import source ${camel(n)}Plain from "../../../asm/${n}.wasm";\n` +
        `import source ${camel(n)}Shared from "../../../asm/${n}.shared.wasm";\n`
      ).join("") +
      names.map((n) =>
        `export const ${camel(n)} = { plain: ${camel(n)}Plain, shared: ${camel(n)}Shared };\n`
      ).join(""),
    [`${dir}/_modules.d.ts`]: `// ${GENERATED}\n` +
      `/** A heap kernel's two builds, compiled: for a plain and for a shared memory. */\n` +
      `export interface HeapKernel {\n  plain: WebAssembly.Module;\n  shared: WebAssembly.Module;\n}\n` +
      names.map((n) =>
        `/** asm/${n}.wasm and asm/${n}.shared.wasm, compiled. */\n` +
        `export declare const ${camel(n)}: HeapKernel;\n`
      ).join(""),
  };
}

if (import.meta.main) {
  const names = Deno.args.length ? Deno.args : kernelNames();
  const heap = new Set(heapKernelNames());
  for (const name of names) {
    for (const shared of heap.has(name) ? [false, true] : [false]) {
      const bytes = await compileKernel(name, shared);
      const file = `${name}${shared ? ".shared" : ""}.wasm`;
      const tmp = new URL(`${file}.tmp`, ASM_DIR);
      await Deno.writeFile(tmp, bytes);
      await Deno.rename(tmp, new URL(file, ASM_DIR));
      console.log(`asm/${file}  ${bytes.length} bytes`);
    }
  }
  for (const [path, text] of Object.entries(heapKernelBindings())) {
    const target = new URL(`../${path}`, ASM_DIR);
    await Deno.writeTextFile(new URL(`../${path}.tmp`, ASM_DIR), text);
    await Deno.rename(new URL(`../${path}.tmp`, ASM_DIR), target);
    console.log(path);
  }
}
