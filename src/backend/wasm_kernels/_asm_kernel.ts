/**
 * Moving operands between tfjs-wasm's heap and one of our AssemblyScript
 * kernels (`asm/*.wasm`), which has its own memory: inputs are copied in back
 * to back, the kernel runs there, and its result is copied out. The copies
 * cost a few percent of the products they feed (tests/wasm_kernels_bench.ts).
 * @module
 */

/** What every training kernel module exports besides its entry point. */
export interface AsmKernel {
  memory: WebAssembly.Memory;
  /** Reserves bytes for the operands and returns their address, 0 when the memory cannot grow. */
  scratch(bytes: number): number;
}

const align = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * Copies `inputs` into the kernel's memory and reserves `outLength` floats
 * after them; returns their addresses, inputs first, the output last.
 */
export function stage(
  kernel: AsmKernel,
  name: string,
  inputs: Float32Array[],
  outLength: number,
): number[] {
  const sizes = [...inputs.map((a) => a.length), outLength];
  const offsets: number[] = [];
  let total = 0;
  for (const n of sizes) {
    offsets.push(total);
    total += align(n * 4);
  }
  const base = kernel.scratch(total);
  if (base === 0) {
    throw new Error(`${name} on wasm: ${total} bytes of operands do not fit in memory`);
  }
  const heap = new Float32Array(kernel.memory.buffer);
  inputs.forEach((a, i) => heap.set(a, (base + offsets[i]) / 4));
  return offsets.map((o) => base + o);
}

/** Copies the kernel's result at `address` into `out` (a view of the tfjs tensor). */
export function unstage(
  kernel: AsmKernel,
  name: string,
  ok: number,
  address: number,
  out: Float32Array,
): void {
  if (!ok) throw new Error(`${name} on wasm: its work buffers do not fit in memory`);
  out.set(new Float32Array(kernel.memory.buffer, address, out.length));
}
