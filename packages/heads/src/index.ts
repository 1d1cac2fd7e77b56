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
export { FAST_TRANSPOSED_MATMUL_FLAG, fastTransposedMatMul } from './layers/ops.js';
export { Rng } from './rng.js';
export { similarity, topKAdjacency, graphOf, normalizeAdjacency, l2Normalize, type GraphMetric } from './heads/graph.js';
export { AnflHead, type AnflOptions } from './heads/anfl.js';
export { AuExpressionAttention } from './heads/cross-attention.js';
export { ExpressionHead, VaHead, MultiHead, FusionHead } from './heads/simple.js';
export { asTfHead, type HeadModule, type HeadOutputs, type TfHeadPlugin } from './heads/types.js';
export * from './losses/losses.js';
export { HeadStack, type ModelHead } from './train/model.js';
export { fitStandardizer, applyStandardizer, predictFeatures, type FeatureRows, type Standardizer, type RowPredictions, type PredictOptions } from './train/data.js';
export {
  calibrateValue, applyAuThresholds, binaryF1 as thresholdF1, fitThreshold, fitAuThresholds, crossValidatedCalibration, THRESHOLD_GRID,
  type CalibrationReport,
} from './train/calibration.js';
export { learningRate, Sampler, hasLabel, type StageTask, type SamplerState } from './train/schedule.js';
export {
  trainHeads, evaluate, stageMetric,
  type TrainOptions, type TrainResult, type TrainSettings, type TrainEvent, type TrainLoss, type ValidationSet, type StageResult,
} from './train/trainer.js';
export { saveModel, loadModel, type LoadedModel, type ModelMeta } from './train/model-file.js';
export { encodeTensorFile, decodeTensorFile, readTensorFile, writeTensorFile, type NamedArray, type TensorFile } from './train/tensor-file.js';
export { anflOptions, expressionOptions, vaOptions, multiHeadOptions, fusionOptions, type TfLossPlugin } from './plugins.js';

/** Register this package's heads and losses. */
export function register(registry: Registry): void {
  registerHeads(registry);
  registerLosses(registry);
}
export { loadFeatureIndex, featureRowsFor, concatRows, type FeatureIndex } from './train/feature-data.js';
export { readVoteTargets, expressionTargets } from './train/soft-labels.js';
export { createHeads, createLosses, createOptimizer, DEFAULT_LOSSES } from './train/setup.js';
