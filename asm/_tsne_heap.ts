// deno-fmt-ignore-file: AssemblyScript, kept as written (see tsne_gradient.ts).
// Bump allocation for the t-SNE kernels: the host allocates every buffer it
// needs up front (the heap grows the memory as it goes), then views it.

/** Allocates `bytes` (16-byte aligned) and returns the address. */
export function alloc(bytes: usize): usize {
  return __alloc(bytes);
}

/** Frees everything allocated so far. */
export function reset(): void {
  __reset();
}
