/**
 * @affectzoo/optim-sam: sharpness-aware minimisation (SAM, and ASAM as an option) wrapping any
 * TF.js optimizer, plus the base optimizers the trainer uses (SGD with momentum, Adam, AdamW) as
 * registered `optimizer` plugins.
 */
import './gradients.js';
import * as tf from '@tensorflow/tfjs-core';
import { z, type ComponentRef, type OptimizerPlugin, type OptimizerSettings, type Registry } from '@affectzoo/core';
import { Adam, Sgd } from './optimizers.js';
import { PlainStep, type StepOptimizer } from './step.js';
import { Sam } from './sam.js';

export { Adam, Sgd } from './optimizers.js';
export { Sam, type SamOptions } from './sam.js';
export {
  ADAM_UPDATE_KERNEL, SGD_UPDATE_KERNEL, adamUpdate, sgdUpdate, type AdamUpdateAttrs, type SgdUpdateAttrs,
} from './update-kernels.js';
export {
  PlainStep, WrappedOptimizer, setOptimizerLearningRate,
  type LossFn, type OptimizerSlot, type StepOptimizer, type LearningRateSettable, type SlottedOptimizer,
} from './step.js';

/** What this package's optimizer factories create: a step optimizer for given settings. */
export interface TfOptimizerPlugin extends OptimizerPlugin {
  create(settings: OptimizerSettings): StepOptimizer;
  /** The bare TF.js optimizer (what SAM wraps). */
  createBase(settings: OptimizerSettings): tf.Optimizer;
}

/** Narrow a registry product to a TF.js step optimizer factory. */
export function asTfOptimizer(p: OptimizerPlugin): TfOptimizerPlugin {
  if (typeof (p as Partial<TfOptimizerPlugin>).createBase !== 'function') {
    throw new Error(`optimizer "${p.name}" is not a TF.js optimizer (no createBase)`);
  }
  return p as TfOptimizerPlugin;
}

function plain(name: string, createBase: (s: OptimizerSettings) => tf.Optimizer): TfOptimizerPlugin {
  return { name, createBase, create: (s) => new PlainStep(name, createBase(s)) };
}

const sgdOptions = z.strictObject({
  momentum: z.number().min(0).max(1).default(0.9).describe('Momentum (0 for plain SGD).'),
  nesterov: z.boolean().default(false).describe('Nesterov momentum.'),
});

const adamOptions = z.strictObject({
  beta1: z.number().min(0).lt(1).default(0.9), // 1 would divide by a zero bias correction
  beta2: z.number().min(0).lt(1).default(0.999),
  epsilon: z.number().positive().default(1e-8),
});

const samOptions = z.strictObject({
  base: z.strictObject({ name: z.string(), options: z.record(z.string(), z.unknown()).default({}) })
    .default({ name: 'sgd', options: {} }).describe('The optimizer SAM wraps (any registered TF.js optimizer).'),
  rho: z.number().positive().default(0.05).describe('Neighbourhood radius.'),
  adaptive: z.boolean().default(false).describe('ASAM: perturbation scaled by |w|.'),
});

/** Register `sgd`, `adam`, `adamw` and `sam`. */
export function register(registry: Registry): void {
  registry.register({
    kind: 'optimizer', name: 'sgd', description: 'SGD with momentum (PyTorch semantics, coupled weight decay)', options: sgdOptions,
    create: (o) => plain('sgd', (s) => new Sgd(s.learningRate, o.momentum, s.weightDecay, o.nesterov)),
  });
  registry.register({
    kind: 'optimizer', name: 'adam', description: 'Adam (coupled L2 weight decay)', options: adamOptions,
    create: (o) => plain('adam', (s) => new Adam(s.learningRate, s.weightDecay, false, o.beta1, o.beta2, o.epsilon)),
  });
  registry.register({
    kind: 'optimizer', name: 'adamw', description: 'AdamW (decoupled weight decay)', options: adamOptions,
    create: (o) => plain('adamw', (s) => new Adam(s.learningRate, s.weightDecay, true, o.beta1, o.beta2, o.epsilon)),
  });
  registry.register({
    kind: 'optimizer', name: 'sam', description: 'Sharpness-aware minimisation (SAM/ASAM) around another optimizer', options: samOptions,
    create: async (o, ctx) => {
      const ref: ComponentRef = o.base;
      const base = asTfOptimizer(await ctx.registry.create('optimizer', ref, `${ctx.path}.options.base`));
      const plugin: TfOptimizerPlugin = {
        name: 'sam',
        createBase: (s) => base.createBase(s),
        create: (s) => new Sam(base.createBase(s), { rho: o.rho, adaptive: o.adaptive }),
      };
      return plugin;
    },
  });
}
