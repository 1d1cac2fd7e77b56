/** From a validated config to the trainer's inputs: heads, losses and optimizer through the registry. */
import { ConfigError, type AffectzooConfig, type ComponentRef, type Registry } from '@affectzoo/core';
import { asTfOptimizer } from '@affectzoo/optim-sam';
import { asTfHead } from '../heads/types.js';
import type { TfLossPlugin } from '../plugins.js';
import type { ModelHead } from './model.js';
import type { TrainLoss } from './trainer.js';

/** MT-CAN's losses, used when a config lists none. */
export const DEFAULT_LOSSES: (ComponentRef & { task: 'au' | 'expression' | 'va' })[] = [
  { name: 'au-weighted-asymmetric', task: 'au' },
  { name: 'cross-entropy', task: 'expression' },
  { name: 'ccc', task: 'va' },
];

export async function createHeads(config: AffectzooConfig, registry: Registry): Promise<ModelHead[]> {
  if (config.heads.length === 0) throw new ConfigError([{ path: 'heads', message: 'no heads to train' }]);
  return Promise.all(config.heads.map(async (ref, i) => ({ ref: { name: ref.name, options: ref.options }, plugin: asTfHead(await registry.create('head', ref, `heads[${i}]`)) })));
}

export async function createLosses(config: AffectzooConfig, registry: Registry): Promise<TrainLoss[]> {
  const refs = config.losses.length ? config.losses : DEFAULT_LOSSES.map((l) => ({ ...l, options: {}, weight: 1 }));
  return Promise.all(refs.map(async (ref, i) => {
    const plugin = (await registry.create('loss', ref, `losses[${i}]`)) as TfLossPlugin;
    if (plugin.task !== ref.task) throw new ConfigError([{ path: `losses[${i}].task`, message: `loss "${ref.name}" uses ${plugin.task} labels, not ${ref.task}` }]);
    return { plugin, weight: ref.weight };
  }));
}

export async function createOptimizer(config: AffectzooConfig, registry: Registry) {
  return asTfOptimizer(await registry.create('optimizer', config.optimizer, 'optimizer'));
}
