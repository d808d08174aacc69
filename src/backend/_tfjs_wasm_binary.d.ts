/** tfjs-backend-wasm's SIMD binary, compiled. */
declare const simd: WebAssembly.Module;
export default simd;
