/** asm/adam.wasm, compiled. */
export declare const adam: WebAssembly.Module;
/** asm/bce.wasm, compiled. */
export declare const bce: WebAssembly.Module;
/** asm/broadcast_binary.wasm, compiled. */
export declare const broadcastBinary: WebAssembly.Module;
/** asm/column_sums.wasm, compiled. */
export declare const columnSums: WebAssembly.Module;
/** asm/conv2d.wasm, compiled. */
export declare const conv2d: WebAssembly.Module;
/** asm/conv2d_backprop_filter.wasm, compiled. */
export declare const conv2dBackpropFilter: WebAssembly.Module;
/** asm/conv2d_backprop_input.wasm, compiled. */
export declare const conv2dBackpropInput: WebAssembly.Module;
/** asm/elementwise_math.wasm, compiled. */
export declare const elementwiseMath: WebAssembly.Module;
/** asm/matmul.wasm, compiled. */
export declare const matmul: WebAssembly.Module;
/** asm/max_pool.wasm, compiled. */
export declare const maxPool: WebAssembly.Module;
/** asm/max_pool_grad.wasm, compiled. */
export declare const maxPoolGrad: WebAssembly.Module;
