/**
 * @affectzoo/tfjs-blas: TF.js wasm's matrix products on OpenBLAS and the optimizers' updates as
 * single native passes (an optional native addon).
 * Without the addon built, `enableWasmBlas()` reports why and TF.js runs on plain wasm.
 */
export { enableWasmBlas, FAST_TRANSPOSED_MATMUL_FLAG, disableWasmBlas, wasmBlasEnabled, wasmBlasCounters, type BlasStatus, type BlasCounters, type EnableBlasOptions } from './kernels.js';
export { loadAddon, ADDON_PATH, type BlasInfo, type BlasAddon, type AddonStatus } from './addon.js';
export { ADAM_UPDATE_KERNEL, SGD_UPDATE_KERNEL } from './update-kernels.js';
