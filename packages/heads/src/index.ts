/**
 * @affectzoo/heads: TF.js heads on cached features (the ANFL AU graph, the AU-to-expression cross
 * attention, VA, the multi-head and fusion baselines), MT-CAN's masked losses, and the trainer.
 */
import '@affectzoo/optim-sam'; // registers TF.js's gradients (see optim-sam's gradients.ts)
import type { Registry } from '@affectzoo/core';
import { registerHeads, registerLosses } from './plugins.js';

export { ForwardContext, applyBatchStats, type BatchStats } from './layers/context.js';
export { BatchNorm } from './layers/batchnorm.js';
export { Dense, type DenseOptions, type Activation } from './layers/dense.js';
export { ParamStore, type Param } from './layers/params.js';
export { Rng } from './rng.js';
export { similarity, topKAdjacency, normalizeAdjacency, l2Normalize, type GraphMetric } from './heads/graph.js';
export { AnflHead, type AnflOptions } from './heads/anfl.js';
export { AuExpressionAttention } from './heads/cross-attention.js';
export { ExpressionHead, VaHead, MultiHead, FusionHead } from './heads/simple.js';
export { asTfHead, type HeadModule, type HeadOutputs, type TfHeadPlugin } from './heads/types.js';
export * from './losses/losses.js';
export { anflOptions, expressionOptions, vaOptions, multiHeadOptions, fusionOptions, type TfLossPlugin } from './plugins.js';

/** Register this package's heads and losses. */
export function register(registry: Registry): void {
  registerHeads(registry);
  registerLosses(registry);
}
