/**
 * @affectzoo/backbones: the backends (TF.js `wasm`/`cpu`/`tensorflow`, ONNX Runtime `onnx`) and
 * the backbones that run on them (`faceres`, `hsemotion-enet-b0-8-best-vgaf`, and the generic
 * `onnx` and `tfjs-graph`).
 */
import type { Registry } from '@affectzoo/core';
import { registerBackends } from './backends/register.js';
import { registerFaceres } from './models/faceres.js';
import { registerGenericBackbones } from './models/generic.js';
import { registerHsemotion } from './models/hsemotion.js';

export { TfjsBackend, wasmDir, tfjsTensorCount, type TfjsBackendName, type TfjsBackendOptions, type TfjsBlasMode } from './backends/tfjs.js';
export { OnnxBackend, type OnnxBackendOptions } from './backends/onnx.js';
export { toInputTensor } from './preprocess.js';
export { loadGraphModelFile, type LoadedGraphModel } from './tfjs/load-graph-model.js';
export { readOnnxGraph, addOnnxOutputs, onnxPenultimate, type OnnxGraphInfo, type OnnxNode } from './onnx/graph.js';
export { FACERES_ONNX, FACERES_INPUT, FACERES_FEATURE_SIZE, faceresTfjsModel } from './models/faceres.js';
export { HSEMOTION_ENET_B0_8_BEST_VGAF } from './models/hsemotion.js';
export type { FeatureSelection } from './models/load.js';

/** Register this package's factories. */
export function register(registry: Registry): void {
  registerBackends(registry);
  registerFaceres(registry);
  registerGenericBackbones(registry);
  registerHsemotion(registry);
}
