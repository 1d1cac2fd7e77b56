/**
 * The smaller heads: MT-CAN's expression head (Dense logits, then the AU cross attention), the VA
 * head, the plain multi-head baseline and the fusion MLP.
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as tfc from '@tensorflow/tfjs-core';
import { NUM_AUS, NUM_EXPRESSIONS, type HeadInput, type HeadTask } from '@affectzoo/core';
import type { ForwardContext } from '../layers/context.js';
import { Dense } from '../layers/dense.js';
import { ParamStore } from '../layers/params.js';
import { AuExpressionAttention } from './cross-attention.js';
import type { HeadModule, HeadOutputs } from './types.js';

abstract class StoreHead implements HeadModule {
  abstract readonly name: string;
  abstract readonly task: HeadTask;
  abstract readonly needs: readonly HeadInput[];
  protected readonly store: ParamStore;

  constructor(scope: string, seed: number) {
    this.store = new ParamStore(scope, seed);
  }

  get params() {
    return this.store.params;
  }

  abstract forward(x: tf.Tensor2D, prior: HeadOutputs, ctx: ForwardContext): HeadOutputs;

  dispose(): void {
    this.store.dispose();
  }
}

function need<T>(value: T | undefined, head: string, what: string): T {
  if (value === undefined) throw new Error(`head "${head}" needs the ${what} outputs of an earlier head`);
  return value;
}

export interface ExpressionOptions {
  dropout: number;
  /** The AU cross attention (needs an AU head before this one). */
  attention: boolean;
  attentionSize: number;
  /** Init of the logits layer (see `DenseOptions.init`); the competition's is `normal-out`. */
  init?: 'normal-out' | 'fan-in';
}

export class ExpressionHead extends StoreHead {
  readonly name = 'expression';
  readonly task = 'expression' as const;
  readonly needs: readonly HeadInput[];
  private readonly dense: Dense;
  private readonly attention: AuExpressionAttention | null;

  constructor(inputSize: number, o: ExpressionOptions, seed: number, scope = 'expression') {
    super(scope, seed);
    this.needs = o.attention ? ['au'] : [];
    this.dense = new Dense(this.store, 'logits', inputSize, NUM_EXPRESSIONS, { dropout: o.dropout, init: o.init ?? 'normal-out' });
    this.attention = o.attention ? new AuExpressionAttention(this.store, o.attentionSize) : null;
  }

  forward(x: tf.Tensor2D, prior: HeadOutputs, ctx: ForwardContext): HeadOutputs {
    const logits = this.dense.apply(x, ctx);
    if (!this.attention) return { expression: logits };
    return { expression: this.attention.apply(need(prior.au, this.name, 'AU'), logits) };
  }
}

export interface VaOptions {
  dropout: number;
  batchNorm: boolean;
}

export class VaHead extends StoreHead {
  readonly name = 'va';
  readonly task = 'va' as const;
  readonly needs = [] as const;
  private readonly dense: Dense;

  constructor(inputSize: number, o: VaOptions, seed: number, scope = 'va') {
    super(scope, seed);
    this.dense = new Dense(this.store, 'va', inputSize, 2, { dropout: o.dropout, batchNorm: o.batchNorm, activation: 'tanh' });
  }

  forward(x: tf.Tensor2D, _prior: HeadOutputs, ctx: ForwardContext): HeadOutputs {
    return { va: this.dense.apply(x, ctx) };
  }
}

export interface MultiHeadOptions {
  /** 0: linear heads; otherwise one hidden Dense (batch norm, ReLU) per task of this width. */
  hidden: number;
  dropout: number;
  init: 'normal-out' | 'fan-in';
}

/** One Dense per task: AU sigmoid, expression logits, VA tanh. */
export class MultiHead extends StoreHead {
  readonly name = 'multihead';
  readonly task = 'multi' as const;
  readonly needs = [] as const;
  private readonly branches: ['au' | 'expression' | 'va', { hidden: Dense | null; out: Dense }][];

  constructor(inputSize: number, o: MultiHeadOptions, seed: number, scope = 'multihead') {
    super(scope, seed);
    const branch = (name: string, units: number, activation: 'sigmoid' | 'none' | 'tanh') => {
      const hidden = o.hidden > 0 ? new Dense(this.store, `${name}/hidden`, inputSize, o.hidden, { dropout: o.dropout, batchNorm: true, activation: 'relu', init: o.init }) : null;
      const out = new Dense(this.store, `${name}/out`, o.hidden > 0 ? o.hidden : inputSize, units, { dropout: o.hidden > 0 ? 0 : o.dropout, activation, init: o.init });
      return { hidden, out };
    };
    this.branches = [['au', branch('au', NUM_AUS, 'sigmoid')], ['expression', branch('expression', NUM_EXPRESSIONS, 'none')], ['va', branch('va', 2, 'tanh')]];
  }

  forward(x: tf.Tensor2D, _prior: HeadOutputs, ctx: ForwardContext): HeadOutputs {
    const outputs: HeadOutputs = {};
    for (const [task, { hidden, out }] of this.branches) {
      if (ctx.wants(task)) outputs[task] = out.apply(hidden ? hidden.apply(x, ctx) : x, ctx);
    }
    return outputs;
  }
}

export interface FusionOptions {
  hidden: number;
  dropout: number;
}

/** Expression logits and AU outputs (20 values) -> Dense(ReLU) -> 8 logits: the competition's fusion variant. */
export class FusionHead extends StoreHead {
  readonly name = 'fusion';
  readonly task = 'expression' as const;
  readonly needs = ['expression', 'au'] as const;
  private readonly hidden: Dense;
  private readonly out: Dense;

  constructor(_inputSize: number, o: FusionOptions, seed: number, scope = 'fusion') {
    super(scope, seed);
    const inputs = NUM_EXPRESSIONS + NUM_AUS;
    this.hidden = new Dense(this.store, 'hidden', inputs, o.hidden, { dropout: o.dropout, activation: 'relu' });
    this.out = new Dense(this.store, 'out', o.hidden, NUM_EXPRESSIONS);
  }

  forward(_x: tf.Tensor2D, prior: HeadOutputs, ctx: ForwardContext): HeadOutputs {
    const joined = tfc.concat([need(prior.expression, this.name, 'expression'), need(prior.au, this.name, 'AU')], 1) as tf.Tensor2D;
    return { expression: this.out.apply(this.hidden.apply(joined, ctx), ctx) };
  }
}
