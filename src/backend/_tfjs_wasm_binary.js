/* @ts-self-types="./_tfjs_wasm_binary.d.ts" */
// Source-phase imports: Deno compiles the wasm from its module graph, so the
// backend needs no read permission on the npm cache. TypeScript cannot parse
// `import source` yet, hence this JavaScript file and its declaration.
import source plain from "npm:@tensorflow/tfjs-backend-wasm@4.22.0/dist/tfjs-backend-wasm-simd.wasm";
// The same binary with its memory declared shared (`deno task build:tfjs-wasm`), for kernel threads.
import source shared from "./_tfjs_wasm_shared.wasm";
export { plain, shared };
