/**
 * @affectzoo/tfjs-blas: TF.js wasm's matrix products on OpenBLAS (an optional native addon).
 * Without the addon built, `enableWasmBlas()` reports why and TF.js runs on plain wasm.
 */
export { enableWasmBlas, disableWasmBlas, wasmBlasEnabled, wasmBlasCounters, type BlasStatus, type BlasCounters, type EnableBlasOptions } from './kernels.js';
export { loadAddon, ADDON_PATH, type BlasInfo, type BlasAddon, type AddonStatus } from './addon.js';
