/**
 * The ANFL action-unit head (MT-CAN's AU branch, from ME-GraphAU):
 *   1. 12 per-AU Dense blocks (dropout, linear in -> hidden, batch norm, ReLU) give node features
 *      `[b, 12, hidden]`; run as one product of width 12 x hidden (the dropout mask is shared by
 *      the 12 blocks, where the competition code draws one per block; the expectation is the same);
 *   2. a top-k similarity graph over the nodes, normalised D^-1/2 A D^-1/2;
 *   3. x' = ReLU(x + BN(A V(x) + U(x))), U and V linear, BN over the 12 nodes (statistics over
 *      batch and channels, as BatchNorm1d(12) on `[b, 12, hidden]`);
 *   4. output per AU = cosine(x'_j, ReLU(c_j)) with a learned class vector c_j: in [0, 1] because
 *      both sides are non-negative, and used directly as the AU's probability.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NUM_AUS } from '@affectzoo/core';
import { ForwardContext } from '../layers/context.js';
import { BatchNorm } from '../layers/batchnorm.js';
import { Dense } from '../layers/dense.js';
import { ParamStore } from '../layers/params.js';
import { graphOf, l2Normalize, type GraphMetric } from './graph.js';
import type { HeadModule, HeadOutputs } from './types.js';

export interface AnflOptions {
  /** Width of each AU's node feature; the competition uses the feature size (1288). */
  hiddenSize?: number;
  /** Neighbours kept per node. */
  k: number;
  metric: GraphMetric;
  /** Dropout before the per-AU blocks. */
  dropout: number;
}

export class AnflHead implements HeadModule {
  readonly name = 'anfl';
  readonly task = 'au' as const;
  readonly needs = [] as const;
  readonly hidden: number;
  private readonly store: ParamStore;
  private readonly nodes: Dense;
  private readonly u: Dense;
  private readonly v: Dense;
  private readonly bnv: BatchNorm;
  private readonly classVectors: tf.Variable;

  constructor(readonly inputSize: number, readonly options: AnflOptions, seed: number, scope = 'anfl') {
    this.hidden = options.hiddenSize ?? inputSize;
    const h = this.hidden;
    this.store = new ParamStore(scope, seed);
    this.nodes = new Dense(this.store, 'nodes', inputSize, NUM_AUS * h, { dropout: options.dropout, batchNorm: true, activation: 'relu' });
    this.u = new Dense(this.store, 'gnn/U', h, h);
    this.v = new Dense(this.store, 'gnn/V', h, h);
    // BatchNorm1d(12) on [b, 12, h]: one statistic per node, over batch and channels.
    this.bnv = new BatchNorm(this.store, 'gnn/bn', [1, NUM_AUS, 1], [0, 2]);
    // xavier_uniform on [12, h], as the competition code.
    this.classVectors = this.store.add('class_vectors', this.store.uniform([NUM_AUS, h], Math.sqrt(6 / (NUM_AUS + h))));
  }

  get params() {
    return this.store.params;
  }

  /** Node features after the graph update, `[b, 12, hidden]`. */
  nodeFeatures(x: tf.Tensor2D, ctx: ForwardContext): tf.Tensor3D {
    const b = x.shape[0];
    const h = this.hidden;
    const f = tf.reshape(this.nodes.apply(x, ctx), [b, NUM_AUS, h]) as tf.Tensor3D;
    const a = graphOf(f, this.options.k, this.options.metric);
    const flat = tf.reshape(f, [b * NUM_AUS, h]) as tf.Tensor2D;
    const vx = tf.reshape(this.v.apply(flat, ctx), [b, NUM_AUS, h]) as tf.Tensor3D;
    const ux = tf.reshape(this.u.apply(flat, ctx), [b, NUM_AUS, h]);
    const agg = tf.add(tf.matMul(a, vx), ux);
    return tf.relu(tf.add(f, this.bnv.apply(agg, ctx))) as tf.Tensor3D;
  }

  forward(x: tf.Tensor2D, _prior: HeadOutputs, ctx: ForwardContext): HeadOutputs {
    const nodes = l2Normalize(this.nodeFeatures(x, ctx));
    const classes = l2Normalize(tf.relu(this.classVectors));
    return { au: tf.sum(tf.mul(nodes, classes), -1) as tf.Tensor2D };
  }

  dispose(): void {
    this.store.dispose();
  }
}
