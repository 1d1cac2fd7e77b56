import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry } from '@affectzoo/core';
import {
  AnflHead, AuExpressionAttention, Dense, ExpressionHead, ForwardContext, FusionHead, MultiHead, ParamStore, VaHead,
  applyBatchStats, asTfHead, normalizeAdjacency, register, topKAdjacency, type BatchStats, type GraphMetric,
} from '../src/index.js';
import { dropout } from '../src/layers/dense.js';
import { close, useCpu } from './helpers.js';

beforeAll(useCpu);

const s8 = 1 / Math.sqrt(8);

describe('the relation graph on a 4-node example worked out by hand', () => {
  // Nodes (1,0), (1,0), (0,1), (.5,.5), k = 2. Dot products: row 1 [1 1 0 .5] keeps nodes 1, 2;
  // row 3 [0 0 1 .5] keeps 3, 4; row 4 [.5 .5 .5 .5] ties at the threshold and keeps all four.
  // The l1 distances and the cosines pick the same neighbours.
  const x = () => tf.tensor3d([[[1, 0], [1, 0], [0, 1], [0.5, 0.5]]]);
  const A = [1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];

  it.each<GraphMetric>(['dots', 'cosine', 'l1'])('top-k adjacency (%s)', (metric) => {
    const a = topKAdjacency(x(), 2, metric);
    expect([...a.dataSync()]).toEqual(A);
  });

  it('normalises D^-1/2 A D^-1/2 with degrees (2, 2, 2, 4)', () => {
    const n = normalizeAdjacency(tf.tensor3d(A, [1, 4, 4]));
    close(n.dataSync(), [0.5, 0.5, 0, 0, 0.5, 0.5, 0, 0, 0, 0, 0.5, s8, s8, s8, s8, 0.25]);
  });
});

describe('Dense block', () => {
  it('computes act(BN(x W + b)) with running statistics at inference', () => {
    const store = new ParamStore('t', 1);
    const d = new Dense(store, 'd', 2, 2, { batchNorm: true, activation: 'relu' });
    d.kernel.assign(tf.tensor2d([[1, 2], [3, -4]]));
    d.bias!.assign(tf.tensor1d([0.5, 0]));
    d.bn!.runningMean.assign(tf.tensor1d([1, 0]));
    d.bn!.runningVar.assign(tf.tensor1d([4, 1]));
    // x = (1, 1): x W + b = (4.5, -2); BN: ((4.5 - 1) / sqrt(4 + 1e-5), -2 / sqrt(1 + 1e-5)) = (1.75, -2); ReLU: (1.75, 0)
    const y = d.apply(tf.tensor2d([[1, 1]]), new ForwardContext(false));
    close(y.dataSync(), [1.75, 0], 4);
    store.dispose();
  });

  it('initialises weights N(0, 1/out)', () => {
    const store = new ParamStore('t', 3);
    const d = new Dense(store, 'd', 400, 100);
    const { variance } = tf.moments(d.kernel);
    expect(variance.dataSync()[0]).toBeCloseTo(1 / 100, 3);
    store.dispose();
  });

  it('reports batch statistics in training and moves running averages only when applied', () => {
    const store = new ParamStore('t', 1);
    const d = new Dense(store, 'd', 1, 1, { batchNorm: true, bias: false });
    d.kernel.assign(tf.tensor2d([[1]]));
    const stats: BatchStats[] = [];
    d.apply(tf.tensor2d([[1], [3]]), new ForwardContext(true, 0, stats));
    expect(stats).toHaveLength(1);
    close(d.bn!.runningMean.dataSync(), [0]);
    applyBatchStats(stats);
    // mean 2 -> 0.9 * 0 + 0.1 * 2; biased var 1, unbiased 2 -> 0.9 * 1 + 0.1 * 2
    close(d.bn!.runningMean.dataSync(), [0.2]);
    close(d.bn!.runningVar.dataSync(), [1.1]);
    store.dispose();
  });
});

describe('AU-to-expression cross attention', () => {
  it('matches the additive attention worked out by hand', () => {
    const store = new ParamStore('t', 1);
    const att = new AuExpressionAttention(store, 1);
    att.wq.assign(tf.zeros([12, 1]));
    att.wk.assign(tf.tensor2d([[1]]));
    att.w.assign(tf.tensor2d([[1]]));
    // score_j = tanh(logit_j): (0.761594, 0 x 6, -0.761594); softmax: e^.7616 = 2.141675, e^-.7616 = 0.466919,
    // sum 8.608594; output = alpha * logits = (0.248784, 0 x 6, -0.054238)
    const out = att.apply(tf.ones([1, 12]) as tf.Tensor2D, tf.tensor2d([[1, 0, 0, 0, 0, 0, 0, -1]]));
    close(out.dataSync(), [0.248784, 0, 0, 0, 0, 0, 0, -0.054238]);
    store.dispose();
  });
});

describe('heads', () => {
  const x = () => tf.randomNormal([5, 16], 0, 1, 'float32', 7) as tf.Tensor2D;

  it.each<GraphMetric>(['dots', 'cosine', 'l1'])('ANFL (%s) gives 12 outputs in [0, 1]', (metric) => {
    const head = new AnflHead(16, { hiddenSize: 8, k: 4, metric, dropout: 0.5 }, 1);
    for (const training of [true, false]) {
      const { au } = head.forward(x(), {}, new ForwardContext(training, 1));
      expect(au!.shape).toEqual([5, 12]);
      const v = au!.dataSync();
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...v)).toBeLessThanOrEqual(1 + 1e-6);
    }
    head.dispose();
  });

  it('ANFL hidden size defaults to the feature size', () => {
    const head = new AnflHead(16, { k: 4, metric: 'dots', dropout: 0.5 }, 1);
    expect(head.hidden).toBe(16);
    head.dispose();
  });

  it('expression, VA, multi-head and fusion give their shapes', () => {
    const anfl = new AnflHead(16, { hiddenSize: 8, k: 4, metric: 'dots', dropout: 0 }, 1);
    const ctx = new ForwardContext(true, 1);
    const au = anfl.forward(x(), {}, ctx);
    const ex = new ExpressionHead(16, { dropout: 0, attention: true, attentionSize: 64 }, 2).forward(x(), au, ctx);
    expect(ex.expression!.shape).toEqual([5, 8]);
    const va = new VaHead(16, { dropout: 0, batchNorm: true }, 3).forward(x(), {}, ctx).va!;
    expect(va.shape).toEqual([5, 2]);
    expect(Math.max(...va.dataSync().map(Math.abs))).toBeLessThanOrEqual(1);
    const multi = new MultiHead(16, { hidden: 4, dropout: 0, init: 'fan-in' }, 4).forward(x(), {}, ctx);
    expect([multi.au!.shape, multi.expression!.shape, multi.va!.shape]).toEqual([[5, 12], [5, 8], [5, 2]]);
    const fused = new FusionHead(16, { hidden: 20, dropout: 0 }, 5).forward(x(), { ...au, ...ex }, ctx);
    expect(fused.expression!.shape).toEqual([5, 8]);
    expect(() => new ExpressionHead(16, { dropout: 0, attention: true, attentionSize: 8 }, 2).forward(x(), {}, ctx)).toThrow(/needs the AU outputs/);
  });

  it('a multi-head computes only the outputs the context wants, and moves only their statistics', () => {
    const multi = new MultiHead(16, { hidden: 4, dropout: 0.5, init: 'fan-in' }, 4);
    const stats: BatchStats[] = [];
    const out = multi.forward(x(), {}, new ForwardContext(true, 1, stats, new Set(['expression'] as const)));
    expect(Object.keys(out)).toEqual(['expression']);
    expect(stats).toHaveLength(1);
    expect(stats[0]!.layer.gamma.name).toMatch(/multihead\/expression\/hidden\/bn\/gamma$/);
    applyBatchStats(stats);
    tf.dispose(Object.values(out));
  });

  it('dropout keeps 1 - rate of the values, scaled by 1 / (1 - rate), the same mask for the same seed', () => {
    const ones = tf.ones([200, 100]);
    const masks = [1, 1, 2].map((seed) => Array.from(dropout(ones, 0.25, new ForwardContext(true, seed)).dataSync()));
    const kept = masks[0]!.filter((v) => v !== 0);
    expect(new Set(kept)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(Math.abs(kept.length / 20_000 - 0.75)).toBeLessThan(0.01);
    expect(masks[1]).toEqual(masks[0]);
    expect(masks[2]).not.toEqual(masks[0]);
    expect(dropout(ones, 0.25, new ForwardContext(false, 1))).toBe(ones); // not while inferring
    ones.dispose();
  });

  it('same seed, same weights', () => {
    const a = new AnflHead(16, { hiddenSize: 8, k: 4, metric: 'dots', dropout: 0.5 }, 9);
    const b = new AnflHead(16, { hiddenSize: 8, k: 4, metric: 'dots', dropout: 0.5 }, 9);
    a.params.forEach((p, i) => expect([...p.variable.dataSync()]).toEqual([...b.params[i]!.variable.dataSync()]));
    a.dispose();
    b.dispose();
  });

  it('are registered plugins whose input size comes from the features', async () => {
    const registry = createRegistry();
    register(registry);
    const plugin = asTfHead(await registry.create('head', { name: 'anfl', options: { hiddenSize: 8 } }));
    expect([plugin.task, plugin.needs]).toEqual(['au', []]);
    const module = plugin.build(32, 0);
    expect(module.params.find((p) => p.name === 'anfl/nodes/kernel')!.variable.shape).toEqual([32, 96]);
    module.dispose();
    expect(() => registry.parseOptions('head', { name: 'anfl', options: { metric: 'l2' } }, 'heads[0]')).toThrow(/heads\[0\]\.options\.metric/);
  });
});

describe('the Dense product', () => {
  it('gives the values and gradients of tf.matMul + bias + relu on both paths', async () => {
    const { denseProductExplicit, denseProductFused } = await import('../src/layers/ops.js');
    const x = tf.randomNormal([5, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([4, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([3], 0, 1, 'float32', 3);
    type Product = (a: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor, relu: boolean) => tf.Tensor;
    const reference: Product = (a, k, bias, relu) => (relu ? tf.relu : tf.clone)(tf.add(tf.matMul(a, k), bias));
    for (const relu of [false, true]) {
      const grads = (g: Product) => tf.grads((a: tf.Tensor, k: tf.Tensor, c: tf.Tensor) => tf.sum(tf.square(g(a as tf.Tensor2D, k as tf.Tensor2D, c, relu))))([x, w, b]);
      const ref = grads(reference);
      const inference: Product = (a, k, bias, r) => denseProductFused(a, k, bias, r, false);
      const training: Product = (a, k, bias, r) => denseProductFused(a, k, bias, r, true);
      for (const product of [denseProductExplicit, inference, training]) {
        const ours = grads(product);
        ours.forEach((g, i) => close(g.dataSync(), [...ref[i]!.dataSync()]));
        close(product(x, w, b, relu).dataSync(), [...reference(x, w, b, relu).dataSync()]);
      }
    }
  });
});
