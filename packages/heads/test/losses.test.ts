import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import type { FrameLabels } from '@affectzoo/core';
import { auClassWeights, batchLabels, cccLoss, expressionClassWeights, weightedAsymmetricLoss, weightedCrossEntropy } from '../src/index.js';
import { close, useCpu } from './helpers.js';

beforeAll(useCpu);

function row(p: Partial<FrameLabels>): FrameLabels {
  return { image: 'x', valence: null, arousal: null, expression: null, aus: new Array(12).fill(null), ...p };
}

describe('class weights from training labels', () => {
  it('AU: 1 / positives, an AU without positives gets the largest, summing to 12', () => {
    const aus = (a: number, b: number) => [a, b, ...new Array(10).fill(0)] as (0 | 1)[];
    const w = auClassWeights([row({ aus: aus(1, 1) }), row({ aus: aus(0, 1) }), row({ aus: aus(0, 1) })]);
    // inverse counts (1, 1/3, 1 x 10), sum 11.3333 -> scaled by 12 / 11.3333
    close(w, [1.058824, 0.352941, ...new Array(10).fill(1.058824)]);
  });

  it('expression: balanced n / (C n_c)', () => {
    const w = expressionClassWeights([row({ expression: 0 }), row({ expression: 0 }), row({ expression: 1 }), row({})]);
    close(w, [3 / 16, 3 / 8, 0, 0, 0, 0, 0, 0]);
  });
});

describe('masked losses against values worked out by hand', () => {
  it('weighted asymmetric AU loss skips missing labels and weights negatives by p', () => {
    const aus = [1, 0, ...new Array(10).fill(null)] as (0 | 1 | null)[];
    const labels = batchLabels([row({ aus })]);
    const p = tf.tensor2d([[0.8, 0.3, ...new Array(10).fill(0.5)]]);
    const w = [2, 1, ...new Array(10).fill(1)];
    // -(2 log .8 + .3 log .7) / 2 = (0.446287 + 0.107002) / 2
    const loss = weightedAsymmetricLoss(w)({ au: p as tf.Tensor2D }, labels);
    expect(loss.dataSync()[0]).toBeCloseTo(0.276645, 5);
  });

  it('the negative weight p carries no gradient', () => {
    const labels = batchLabels([row({ aus: new Array(12).fill(0) })]);
    const g = tf.grad((p: tf.Tensor) => weightedAsymmetricLoss(new Array(12).fill(1))({ au: p as tf.Tensor2D }, labels))(tf.fill([1, 12], 0.5));
    // d/dp [-(p_stop log(1-p))] / 12 = p / (1 - p) / 12 = 1/12
    close(g.dataSync(), new Array(12).fill(1 / 12));
  });

  it('class-weighted cross-entropy is the weighted mean over labelled frames', () => {
    const labels = batchLabels([row({ expression: 0 }), row({ expression: 1 }), row({})]);
    const logits = tf.tensor2d([[0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0], [9, 0, 0, 0, 0, 0, 0, 0]]);
    const loss = weightedCrossEntropy([1, 3, 1, 1, 1, 1, 1, 1])({ expression: logits }, labels);
    expect(loss.dataSync()[0]).toBeCloseTo(Math.log(8), 5);
  });

  it('CCC loss: each mean from its own tensor, missing frames masked', () => {
    const labels = batchLabels([1, 2, 3].map((v) => row({ valence: v / 4, arousal: v / 4 })).concat(row({})));
    // valence predictions shifted by 1/4 against labels (x = y + .25): CCC = 2 cov / (vx + vy + .0625) with vx = vy = cov = 1/24
    const va = tf.tensor2d([[0.5, 0.25], [0.75, 0.5], [1, 0.75], [100, -100]]);
    const c = (2 / 24) / (2 / 24 + 0.0625);
    const loss = cccLoss()({ va: va as tf.Tensor2D }, labels);
    expect(loss.dataSync()[0]).toBeCloseTo(1 - c, 5); // arousal predictions equal their labels: CCC 1
  });
});
