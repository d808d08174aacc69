/**
 * `deno task build:tfjs-wasm`: writes src/backend/_tfjs_wasm_shared.wasm,
 * tfjs-backend-wasm's SIMD binary with its memory declared shared, of a fixed
 * {@linkcode SHARED_HEAP_PAGES}. It is the npm binary byte for byte but for
 * the memory section's limits, so that kernel threads
 * (src/backend/kernel_threads.ts) can run our kernels on the backend's heap
 * from other workers. tests/build_tfjs_wasm_test.ts checks the committed
 * file against the npm one.
 *
 * ```sh
 * deno task build:tfjs-wasm
 * deno run tasks/build_tfjs_wasm.ts --npm-path  # where the npm binary is
 * ```
 *
 * @module
 */

/** The committed binary, relative to the repository root. */
export const SHARED_BINARY = "src/backend/_tfjs_wasm_shared.wasm";

/** The npm binary it is made from: a file in Deno's npm cache. */
export const NPM_BINARY = new URL(
  import.meta.resolve("npm:@tensorflow/tfjs-backend-wasm@4.22.0/dist/tfjs-backend-wasm-simd.wasm"),
);

const MEMORY_SECTION = 5;

/**
 * The size of the shared heap, in 64 KiB pages (2 GiB; the plain heap grows
 * to 4): tfjs's binary and every kernel built for it (tasks/build_asm.ts)
 * declare it as both the initial and the maximum size, because V8 compiles
 * code for the limits a module declares: our kernels ran 1.22-1.24x as long
 * on a shared memory declared able to grow as on a plain memory, and
 * 0.96-0.99x as long on one declared fixed (the dense AE's largest product,
 * alternated in one process). The pages are address space until used: the
 * operating system backs a page when it is first written.
 */
export const SHARED_HEAP_PAGES = 32768;

function readLeb(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0, shift = 0, byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    const low = value & 0x7f;
    value = Math.floor(value / 128);
    out.push(value ? low | 0x80 : low);
  } while (value);
  return out;
}

/**
 * `wasm` with its one defined memory made shared and of a fixed `pages`, its
 * initial and maximum size alike; every other byte kept. Throws when the
 * module defines no memory or more than one.
 *
 * @example
 * ```ts
 * import { shareMemory } from "./build_tfjs_wasm.ts";
 * // A module whose only section is one memory of 1 page: flag 0 becomes 3 (shared, a maximum), of 2 pages.
 * const plain = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 3, 1, 0, 1]);
 * new WebAssembly.Module(shareMemory(plain, 2)); // valid, its memory shared
 * ```
 */
export function shareMemory(wasm: Uint8Array, pages = SHARED_HEAP_PAGES): Uint8Array<ArrayBuffer> {
  let at = 8;
  while (at < wasm.length) {
    const id = wasm[at];
    const [size, body] = readLeb(wasm, at + 1);
    if (id === MEMORY_SECTION) {
      const [count, limits] = readLeb(wasm, body);
      if (count !== 1) throw new Error(`expected one memory, found ${count}`);
      const flag = wasm[limits];
      const [, afterMin] = readLeb(wasm, limits + 1);
      const end = flag & 1 ? readLeb(wasm, afterMin)[1] : afterMin;
      const payload = [...leb(1), 3, ...leb(pages), ...leb(pages)];
      const section = [MEMORY_SECTION, ...leb(payload.length), ...payload];
      const out = new Uint8Array(at + section.length + wasm.length - end);
      out.set(wasm.subarray(0, at));
      out.set(section, at);
      out.set(wasm.subarray(end), at + section.length);
      return out;
    }
    at = body + size;
  }
  throw new Error("the module defines no memory");
}

if (import.meta.main) {
  if (Deno.args[0] === "--npm-path") {
    // For the --allow-read of this task and of the tests (deno.json).
    console.log(NPM_BINARY.pathname);
  } else {
    Deno.writeFileSync(SHARED_BINARY, shareMemory(Deno.readFileSync(NPM_BINARY)));
    console.log(`wrote ${SHARED_BINARY}`);
  }
}
