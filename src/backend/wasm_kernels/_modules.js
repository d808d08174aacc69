/* @ts-self-types="./_modules.d.ts" */
// Source-phase imports: the kernels come compiled but not instantiated, since
// each must be instantiated on tfjs-backend-wasm's memory (see _heap.ts).
// TypeScript cannot parse `import source` yet, hence this JavaScript file.
import source adam from "../../../asm/adam.wasm";
import source bce from "../../../asm/bce.wasm";
import source broadcastBinary from "../../../asm/broadcast_binary.wasm";
import source columnSums from "../../../asm/column_sums.wasm";
import source conv2d from "../../../asm/conv2d.wasm";
import source conv2dBackpropFilter from "../../../asm/conv2d_backprop_filter.wasm";
import source conv2dBackpropInput from "../../../asm/conv2d_backprop_input.wasm";
import source elementwiseMath from "../../../asm/elementwise_math.wasm";
import source matmul from "../../../asm/matmul.wasm";
import source maxPool from "../../../asm/max_pool.wasm";
import source maxPoolGrad from "../../../asm/max_pool_grad.wasm";
export {
  adam,
  bce,
  broadcastBinary,
  columnSums,
  conv2d,
  conv2dBackpropFilter,
  conv2dBackpropInput,
  elementwiseMath,
  matmul,
  maxPool,
  maxPoolGrad,
};
