/** The registered head and loss factories of this package, with their options schemas. */
import { z, type FrameLabels, type HeadInput, type HeadTask, type LossPlugin, type Registry } from '@affectzoo/core';
import { AnflHead } from './heads/anfl.js';
import { ExpressionHead, FusionHead, MultiHead, VaHead } from './heads/simple.js';
import type { HeadModule, TfHeadPlugin } from './heads/types.js';
import { auClassWeights, cccLoss, expressionClassWeights, weightedAsymmetricLoss, weightedCrossEntropy, type TfLoss } from './losses/losses.js';

function head(name: string, task: HeadTask, needs: readonly HeadInput[], build: (inputSize: number, seed: number) => HeadModule): TfHeadPlugin {
  return { name, task, needs, build };
}

export const anflOptions = z.strictObject({
  hiddenSize: z.number().int().positive().optional()
    .describe('Width of each AU node feature; defaults to the feature size (the competition: 1288). Smaller trains faster on a CPU.'),
  k: z.number().int().positive().default(4).describe('Neighbours kept per node in the similarity graph.'),
  metric: z.enum(['dots', 'cosine', 'l1']).default('dots').describe('Node similarity for the graph.'),
  dropout: z.number().min(0).max(1).default(0.5).describe('Dropout before the per-AU blocks.'),
});

export const expressionOptions = z.strictObject({
  dropout: z.number().min(0).max(1).default(0).describe('Dropout before the logits layer.'),
  attention: z.boolean().default(true).describe('AU-to-expression cross attention (needs an AU head before it).'),
  attentionSize: z.number().int().positive().default(64).describe('Width of the additive attention.'),
  init: z.enum(['normal-out', 'fan-in']).default('normal-out')
    .describe('Init of the logits layer: `normal-out` N(0, 1/out) (the competition) or `fan-in` (PyTorch default; smaller logits on standardised features).'),
});

export const vaOptions = z.strictObject({
  dropout: z.number().min(0).max(1).default(0),
  batchNorm: z.boolean().default(true).describe('Batch norm before the tanh, as the competition.'),
});

export const multiHeadOptions = z.strictObject({
  hidden: z.number().int().nonnegative().default(0).describe('0: linear heads; otherwise a hidden Dense (BN, ReLU) of this width per task.'),
  dropout: z.number().min(0).max(1).default(0),
  init: z.enum(['normal-out', 'fan-in']).default('fan-in')
    .describe('Weight init: `fan-in` (PyTorch default; stays out of tanh/sigmoid saturation without batch norm) or `normal-out` (N(0, 1/out), the competition Dense block).'),
});

export const fusionOptions = z.strictObject({
  hidden: z.number().int().positive().default(20),
  dropout: z.number().min(0).max(1).default(0),
});

/** What this package's loss factories create. */
export interface TfLossPlugin extends LossPlugin {
  prepare(trainLabels: readonly FrameLabels[]): TfLoss;
  /** Expression losses only: files of soft targets (FER+ vote counts) that replace the one-hot labels of the frames they list. */
  softLabels?: readonly string[];
}

export function registerHeads(registry: Registry): void {
  registry.register({
    kind: 'head', name: 'anfl', description: 'ANFL action-unit graph head (MT-CAN AU branch)', options: anflOptions,
    create: (o) => head('anfl', 'au', [], (d, seed) => new AnflHead(d, o, seed)),
  });
  registry.register({
    kind: 'head', name: 'expression', description: 'Expression logits with the AU-to-expression cross attention (MT-CAN)', options: expressionOptions,
    create: (o) => head('expression', 'expression', o.attention ? ['au'] : [], (d, seed) => new ExpressionHead(d, o, seed)),
  });
  registry.register({
    kind: 'head', name: 'va', description: 'Valence/arousal head (Dense, batch norm, tanh)', options: vaOptions,
    create: (o) => head('va', 'va', [], (d, seed) => new VaHead(d, o, seed)),
  });
  registry.register({
    kind: 'head', name: 'multihead', description: 'Plain multi-head baseline: one Dense per task', options: multiHeadOptions,
    create: (o) => head('multihead', 'multi', [], (d, seed) => new MultiHead(d, o, seed)),
  });
  registry.register({
    kind: 'head', name: 'fusion', description: 'Fusion MLP of expression logits and AU outputs (20 -> hidden -> 8)', options: fusionOptions,
    create: (o) => head('fusion', 'expression', ['expression', 'au'], (d, seed) => new FusionHead(d, o, seed)),
  });
}

export function registerLosses(registry: Registry): void {
  registry.register({
    kind: 'loss', name: 'au-weighted-asymmetric', description: 'Weighted asymmetric AU loss (weights 1/positives, summing to 12)',
    options: z.strictObject({ weighted: z.boolean().default(true).describe('Per-AU weights from the training labels (false: all 1).') }),
    create: (o): TfLossPlugin => ({
      name: 'au-weighted-asymmetric', task: 'au',
      prepare: (rows) => weightedAsymmetricLoss(o.weighted ? auClassWeights(rows) : new Array<number>(12).fill(1)),
    }),
  });
  registry.register({
    kind: 'loss', name: 'cross-entropy', description: 'Expression cross-entropy with balanced class weights',
    options: z.strictObject({
      balanced: z.boolean().default(true).describe('Class weights n / (C n_c) from the training labels (false: all 1).'),
      softLabels: z.array(z.string()).default([])
        .describe('FER+ vote-count CSVs (votes_*.csv; relative to the config file): the frames they list train on the vote distribution instead of the majority label.'),
    }),
    create: (o): TfLossPlugin => ({
      name: 'cross-entropy', task: 'expression', softLabels: o.softLabels,
      prepare: (rows) => weightedCrossEntropy(o.balanced ? expressionClassWeights(rows) : new Array<number>(8).fill(1)),
    }),
  });
  registry.register({
    kind: 'loss', name: 'ccc', description: 'VA loss (1 - CCC_valence) + (1 - CCC_arousal)', options: z.strictObject({}),
    create: (): TfLossPlugin => ({ name: 'ccc', task: 'va', prepare: () => cccLoss() }),
  });
}
