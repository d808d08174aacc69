/* @ts-self-types="./_tfjs_wasm_binary.d.ts" */
// A source-phase import: Deno compiles the wasm from its module graph, so the
// backend needs no read permission on the npm cache. TypeScript cannot parse
// `import source` yet, hence this JavaScript file and its declaration.
import source simd from "npm:@tensorflow/tfjs-backend-wasm@4.22.0/dist/tfjs-backend-wasm-simd.wasm";
export default simd;
