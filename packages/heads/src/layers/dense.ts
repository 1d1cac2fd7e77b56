/**
 * The Dense block every MT-CAN head is built from:
 *   dropout -> linear (weights N(0, 1/out)) -> optional batch norm -> activation.
 * `units` may stand for several blocks side by side (`groups`): the ANFL head's 12 per-AU blocks
 * are one matrix product of width 12 x hidden, which is how TF.js runs them fastest; their batch
 * norm is per output column, exactly as 12 separate BatchNorm1d layers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './context.js';
import { BatchNorm } from './batchnorm.js';
import { denseProduct } from './ops.js';
import type { ParamStore } from './params.js';
import { Rng } from '../rng.js';

export type Activation = 'none' | 'relu' | 'tanh' | 'sigmoid';

export interface DenseOptions {
  dropout?: number;
  batchNorm?: boolean;
  activation?: Activation;
  /** Linear bias, PyTorch's default init U(-1/sqrt(in), 1/sqrt(in)); kept before batch norm, as the competition code. */
  bias?: boolean;
  /**
   * Weight init: `normal-out` N(0, 1/out), the competition's; `fan-in` U(-1/sqrt(in), 1/sqrt(in)),
   * PyTorch's default, which keeps a layer without batch norm out of saturation on standardised
   * features (N(0, 1/out) into 2 units gives pre-activations of std ~sqrt(in / 2)).
   */
  init?: 'normal-out' | 'fan-in';
}

export function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case 'relu': return tf.relu(x);
    case 'tanh': return tf.tanh(x);
    case 'sigmoid': return tf.sigmoid(x);
    default: return x;
  }
}

/**
 * Dropout with a seeded mask, only while training: x * mask, mask 1 / (1 - rate) with probability
 * 1 - rate, else 0. The mask is drawn here rather than by tf.dropout, whose seeded random tensor
 * comes from a generic per-element generator plus four kernels (~3 ms for a 256 x 1288 batch on
 * wasm, against ~0.5 ms for this loop).
 */
export function dropout(x: tf.Tensor, rate: number, ctx: ForwardContext): tf.Tensor {
  if (!ctx.training || rate <= 0) return x;
  const rng = new Rng(ctx.nextSeed());
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < rate ? 0 : keep;
  return tf.mul(x, tf.tensor(mask, x.shape));
}

export class Dense {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly bn: BatchNorm | null;
  readonly dropout: number;
  readonly activation: Activation;

  constructor(store: ParamStore, name: string, readonly inputs: number, readonly units: number, o: DenseOptions = {}) {
    this.dropout = o.dropout ?? 0;
    this.activation = o.activation ?? 'none';
    // "N(0, 1/out)": variance 1/out, i.e. std sqrt(1/out), as the competition code initialises.
    this.kernel = store.add(`${name}/kernel`, o.init === 'fan-in'
      ? store.uniform([inputs, units], 1 / Math.sqrt(inputs))
      : store.normal([inputs, units], Math.sqrt(1 / units)));
    this.bias = o.bias === false ? null : store.add(`${name}/bias`, store.uniform([units], 1 / Math.sqrt(inputs)));
    this.bn = o.batchNorm ? new BatchNorm(store, `${name}/bn`, [units], [0]) : null;
  }

  apply(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor2D {
    const dropped = dropout(x, this.dropout, ctx) as tf.Tensor2D;
    const kernel = this.kernel as tf.Tensor as tf.Tensor2D;
    // Without batch norm a relu joins the product (one fused op where the backend fuses).
    if (!this.bn && (this.activation === 'relu' || this.activation === 'none')) {
      return denseProduct(dropped, kernel, this.bias, this.activation === 'relu', ctx.training);
    }
    const z = denseProduct(dropped, kernel, this.bias, false, ctx.training);
    return activate(this.bn ? this.bn.apply(z, ctx) : z, this.activation) as tf.Tensor2D;
  }
}
