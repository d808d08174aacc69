/** tfjs-backend-wasm's SIMD binary, compiled. */
export declare const plain: WebAssembly.Module;
/** The same binary with a shared memory, compiled. */
export declare const shared: WebAssembly.Module;
