/* @ts-self-types="./_wasm_modules.d.ts" */
// Source-phase imports: the kernels arrive compiled through the module graph
// (no read permission, works from a URL, publishable), ready to be posted to
// workers. TypeScript cannot parse `import source` yet, hence this JS file.
import source knn from "../../asm/tsne_knn.wasm";
import source gradient from "../../asm/tsne_gradient.wasm";
export { gradient, knn };
