// The losses and batch norm run as custom-gradient ops (closed-form backward passes, for speed).
// Each is checked here against TF.js differentiating the composed ops it replaced: the same
// values to the bit, gradients within float32 rounding, on batches with missing labels.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { FrameLabels } from '@affectzoo/core';
import { BatchNorm, ForwardContext, ParamStore, Rng, batchLabels, type BatchStats, cccLoss, weightedAsymmetricLoss, weightedCrossEntropy, type BatchLabels } from '../src/index.js';
import { stopGradient } from '../src/layers/ops.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

const EPS = 1e-8;

// --- The composed ops, differentiated by TF.js (the losses as they were written before). ---

function composedAu(w: number[], p: tf.Tensor2D, l: BatchLabels): tf.Scalar {
  const wt = tf.tensor2d(w, [1, 12]);
  const pos = tf.mul(l.au, tf.log(tf.maximum(p, EPS)));
  const neg = tf.mul(tf.mul(tf.sub(1, l.au), stopGradient(p)), tf.log(tf.maximum(tf.sub(1, p), EPS)));
  const per = tf.mul(tf.mul(tf.add(pos, neg), wt), l.auMask);
  return tf.neg(tf.div(tf.sum(per), tf.maximum(tf.sum(l.auMask), 1))) as tf.Scalar;
}

function composedCe(w: number[], logits: tf.Tensor2D, l: BatchLabels): tf.Scalar {
  const nll = tf.neg(tf.sum(tf.mul(l.expression, tf.logSoftmax(logits)), -1));
  const wi = tf.mul(tf.sum(tf.mul(l.expression, tf.tensor1d(w)), -1), l.expressionMask);
  return tf.div(tf.sum(tf.mul(wi, nll)), tf.maximum(tf.sum(wi), EPS));
}

function composedCcc(x: tf.Tensor2D, l: BatchLabels): tf.Scalar {
  const m = tf.reshape(l.vaMask, [-1, 1]);
  const n = tf.maximum(tf.sum(l.vaMask), 1);
  const mx = tf.div(tf.sum(tf.mul(x, m), 0), n);
  const my = tf.div(tf.sum(tf.mul(l.va, m), 0), n);
  const dx = tf.mul(tf.sub(x, mx), m);
  const dy = tf.mul(tf.sub(l.va, my), m);
  const vx = tf.div(tf.sum(tf.square(dx), 0), n);
  const vy = tf.div(tf.sum(tf.square(dy), 0), n);
  const cov = tf.div(tf.sum(tf.mul(dx, dy), 0), n);
  const c = tf.div(tf.mul(2, cov), tf.add(tf.add(tf.add(vx, vy), tf.square(tf.sub(mx, my))), EPS));
  return tf.mul(tf.sum(tf.sub(1, c)), tf.cast(tf.greater(tf.sum(l.vaMask), 1), 'float32'));
}

function composedBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, axes: number[], shape: number[]): tf.Tensor {
  const { mean, variance } = tf.moments(x, axes, true);
  const scale = tf.mul(tf.rsqrt(tf.add(tf.reshape(variance, shape), 1e-5)), gamma);
  return tf.add(tf.mul(tf.sub(x, tf.reshape(mean, shape)), scale), beta);
}

// --- Inputs: 40 frames, every task missing on some of them. ---

function frames(n: number, seed: number): FrameLabels[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    image: `${i}.jpg`,
    valence: i % 5 === 0 ? null : rng.next() * 2 - 1,
    arousal: i % 5 === 0 ? null : rng.next() * 2 - 1,
    expression: i % 7 === 3 ? null : Math.floor(rng.next() * 8),
    aus: Array.from({ length: 12 }, (_, j) => ((i + j) % 6 === 0 ? null : rng.next() < 0.3 ? 1 : 0)),
  }));
}

function expectClose(actual: tf.Tensor, expected: tf.Tensor, tolerance = 1e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync(), e = expected.dataSync();
  const scale = Math.max(...Array.from(e, Math.abs), 1e-3);
  e.forEach((x, i) => expect(Math.abs(a[i]! - x), `index ${i}: ${a[i]} against ${x}`).toBeLessThanOrEqual(tolerance * scale));
}

function compare(custom: (x: tf.Tensor) => tf.Scalar, composed: (x: tf.Tensor) => tf.Scalar, x: tf.Tensor): void {
  const a = tf.valueAndGrad(custom)(x), b = tf.valueAndGrad(composed)(x);
  expect(a.value.dataSync()[0]).toBe(b.value.dataSync()[0]); // the forward pass is the same ops
  expect(Number.isFinite(a.value.dataSync()[0])).toBe(true);
  expectClose(a.grad, b.grad);
  expect(Math.max(...Array.from(a.grad.dataSync(), Math.abs))).toBeGreaterThan(0);
}

describe('custom-gradient losses against autodiff of the composed ops', () => {
  const labels = batchLabels(frames(40, 3));
  const rng = new Rng(9);
  const random = (shape: [number, number], f: (u: number) => number) => tf.tensor2d(Array.from({ length: shape[0] * shape[1] }, () => f(rng.next())), shape);

  it('weighted asymmetric AU loss, including probabilities clipped at 0 and 1', () => {
    const w = Array.from({ length: 12 }, (_, j) => 0.5 + j / 10);
    const p = random([40, 12], (u) => u);
    compare((x) => weightedAsymmetricLoss(w)({ au: x as tf.Tensor2D }, labels), (x) => composedAu(w, x as tf.Tensor2D, labels), p);
    const edges = tf.concat([tf.zeros([20, 12]), tf.ones([20, 12])]);
    compare((x) => weightedAsymmetricLoss(w)({ au: x as tf.Tensor2D }, labels), (x) => composedAu(w, x as tf.Tensor2D, labels), edges);
  });

  it('class-weighted cross-entropy, with hard and with soft (vote) targets', () => {
    const w = [0.3, 1, 4, 2, 0.5, 1, 1.2, 3];
    const logits = random([40, 8], (u) => 6 * u - 3);
    compare((x) => weightedCrossEntropy(w)({ expression: x as tf.Tensor2D }, labels), (x) => composedCe(w, x as tf.Tensor2D, labels), logits);
    const soft = { ...labels, expression: tf.div(random([40, 8], (u) => u), 4) as tf.Tensor2D };
    compare((x) => weightedCrossEntropy(w)({ expression: x as tf.Tensor2D }, soft), (x) => composedCe(w, x as tf.Tensor2D, soft), logits);
  });

  it('CCC loss; and no gradient from a batch with at most one VA label', () => {
    const va = random([40, 2], (u) => Math.tanh(3 * u - 1));
    compare((x) => cccLoss()({ va: x as tf.Tensor2D }, labels), (x) => composedCcc(x as tf.Tensor2D, labels), va);
    const one = batchLabels(frames(40, 3).map((f, i) => (i === 1 ? f : { ...f, valence: null, arousal: null })));
    const g = tf.grad((x: tf.Tensor) => cccLoss()({ va: x as tf.Tensor2D }, one))(va);
    expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
  });
});

describe('batch norm in training against autodiff of the composed ops', () => {
  for (const [name, xShape, shape, axes] of [
    ['per column of [b, units] (Dense)', [32, 5], [5], [0]],
    ['per node of [b, 12, h] (the ANFL graph)', [16, 12, 4], [1, 12, 1], [0, 2]],
  ] as [string, number[], number[], number[]][]) {
    it(name, () => {
      const bn = new BatchNorm(new ParamStore('t', 1), 'bn', shape, axes);
      bn.gamma.assign(tf.add(1, tf.randomUniform(shape, -0.5, 0.5, 'float32', 2)));
      bn.beta.assign(tf.randomUniform(shape, -0.5, 0.5, 'float32', 3));
      const x = tf.randomNormal(xShape, 1, 2, 'float32', 4);
      const target = tf.randomNormal(xShape, 0, 1, 'float32', 5);
      // A loss that weights every output differently, so no gradient is trivially zero.
      const loss = (out: tf.Tensor) => tf.sum(tf.mul(tf.square(out), target)) as tf.Scalar;
      const custom = tf.variableGrads(() => loss(bn.apply(x, new ForwardContext(true))), [bn.gamma, bn.beta]);
      const composed = tf.variableGrads(() => loss(composedBatchNorm(x, bn.gamma, bn.beta, axes, shape)), [bn.gamma, bn.beta]);
      expect(custom.value.dataSync()[0]).toBe(composed.value.dataSync()[0]);
      expectClose(custom.grads[bn.gamma.name]!, composed.grads[bn.gamma.name]!);
      expectClose(custom.grads[bn.beta.name]!, composed.grads[bn.beta.name]!);
      const dx = tf.grad((input: tf.Tensor) => loss(bn.apply(input, new ForwardContext(true))))(x);
      const dxComposed = tf.grad((input: tf.Tensor) => loss(composedBatchNorm(input, bn.gamma, bn.beta, axes, shape)))(x);
      expectClose(dx, dxComposed, 1e-4);
    });
  }

  it('frees everything but the statistics it reports', () => {
    const bn = new BatchNorm(new ParamStore('t', 1), 'bn', [3], [0]);
    const x = tf.randomNormal([8, 3]);
    const stats: BatchStats[] = [];
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(bn.apply(x, new ForwardContext(true, 0, stats)))), [bn.gamma, bn.beta]);
      tf.dispose([value, ...Object.values(grads)]);
      for (const s of stats.splice(0)) tf.dispose([s.mean, s.variance]);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });
});
