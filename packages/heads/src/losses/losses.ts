/**
 * The masked losses of MT-CAN. Each sees only the frames (and, for AUs, the entries) that carry
 * its task's label; class weights are fixed from the training labels before training.
 *
 * - AU: weighted asymmetric loss, -mean over labelled (frame, AU) of
 *   w_j [y log p + (1 - y) p log(1 - p)], the negative weight p gradient-stopped;
 *   w_j proportional to 1 / (positives of AU j), normalised to sum to 12.
 * - Expression: cross-entropy with balanced class weights n / (C n_c), PyTorch's weighted mean
 *   (sum_i w_{y_i} nll_i / sum_i w_{y_i}).
 * - VA: (1 - CCC_valence) + (1 - CCC_arousal), each CCC with each mean from its own tensor.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NUM_AUS, NUM_EXPRESSIONS, type FrameLabels } from '@affectzoo/core';
import type { HeadOutputs } from '../heads/types.js';

/** One batch's labels as tensors, with a mask per task (1 = labelled). */
export interface BatchLabels {
  /** `[b, 12]` AU labels (0 where missing) and `[b, 12]` mask. */
  au: tf.Tensor2D;
  auMask: tf.Tensor2D;
  /** `[b, 8]` one-hot expression (zeros where missing) and `[b]` mask. */
  expression: tf.Tensor2D;
  expressionMask: tf.Tensor1D;
  /** `[b, 2]` valence, arousal (0 where missing) and `[b]` mask. */
  va: tf.Tensor2D;
  vaMask: tf.Tensor1D;
}

export type TfLoss = (outputs: HeadOutputs, labels: BatchLabels) => tf.Scalar;

const EPS = 1e-8;

function output<T>(value: T | undefined, task: string): T {
  if (value === undefined) throw new Error(`no head produces the ${task} outputs this loss needs`);
  return value;
}

/** AU weights from training rows: 1 / positives (an AU without positives gets the largest weight seen), summing to 12. */
export function auClassWeights(rows: readonly FrameLabels[]): number[] {
  const pos = new Array<number>(NUM_AUS).fill(0);
  for (const r of rows) r.aus.forEach((a, j) => { if (a === 1) pos[j]! += 1; });
  const inv = pos.map((p) => (p > 0 ? 1 / p : 0));
  const max = Math.max(...inv);
  const raw = inv.map((w) => (w > 0 ? w : max > 0 ? max : 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => (w * NUM_AUS) / sum);
}

/** Balanced class weights n / (C n_c) over the labelled training rows (0 for an absent class). */
export function expressionClassWeights(rows: readonly FrameLabels[]): number[] {
  const counts = new Array<number>(NUM_EXPRESSIONS).fill(0);
  let n = 0;
  for (const r of rows) if (r.expression !== null) { counts[r.expression]! += 1; n += 1; }
  return counts.map((c) => (c > 0 ? n / (NUM_EXPRESSIONS * c) : 0));
}

/**
 * The losses below are custom-gradient ops: the forward pass is the composed ops (so the values
 * are theirs to the bit), and the backward pass is the closed-form gradient in a handful of ops
 * instead of TF.js differentiating ~20 recorded ops, each of which also clones its inputs for the
 * tape. On a small head the per-op overhead is most of a training step (the VA head: ~240
 * kernels a step before, ~130 after). Tests check each gradient against autodiff of the
 * composition. Only the prediction gets a gradient; labels, masks and weights are constants.
 */
type LossOp = (...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor };

/** A scalar loss of one tensor with the gradient `op` gives (a new op per call: it closes over the batch's labels). */
function customLoss(op: LossOp): (x: tf.Tensor) => tf.Scalar {
  return (x) => tf.customGrad(op)(x) as tf.Scalar;
}

export function weightedAsymmetricLoss(weights: readonly number[]): TfLoss {
  const values = Float32Array.from(weights);
  return (outputs, labels) => {
    const y = labels.au, mask = labels.auMask;
    // d/dp of -sum(w m [y log max(p, e) + (1 - y) p_stop log max(1 - p, e)]) / M; tf.maximum passes
    // the gradient where its first argument is >= the second, so the same comparisons here.
    return customLoss((...inputs) => {
      const [p, save] = inputs as [tf.Tensor2D, tf.GradSaveFunc];
      const w = tf.tensor2d(values, [1, NUM_AUS]);
      const maxP = tf.maximum(p, EPS), max1P = tf.maximum(tf.sub(1, p), EPS);
      const pos = tf.mul(y, tf.log(maxP));
      const neg = tf.mul(tf.mul(tf.sub(1, y), p), tf.log(max1P));
      const count = tf.maximum(tf.sum(mask), 1);
      const per = tf.mul(tf.mul(tf.add(pos, neg), w), mask);
      save([p, maxP, max1P, w, count]);
      return {
        value: tf.neg(tf.div(tf.sum(per), count)),
        gradFunc: (dy, [sp, smaxP, smax1P, sw, scount]) => {
          const dPos = tf.div(tf.mul(y, tf.cast(tf.greaterEqual(sp!, EPS), 'float32')), smaxP!);
          const dNeg = tf.div(tf.mul(tf.mul(tf.sub(1, y), sp!), tf.cast(tf.greaterEqual(tf.sub(1, sp!), EPS), 'float32')), smax1P!);
          return tf.mul(tf.mul(tf.sub(dNeg, dPos), tf.mul(sw!, mask)), tf.div(dy, scount!));
        },
      };
    })(output(outputs.au, 'AU'));
  };
}

export function weightedCrossEntropy(weights: readonly number[]): TfLoss {
  const values = Float32Array.from(weights);
  return (outputs, labels) => {
    const t = labels.expression;
    // d/dz of sum_i w_i nll_i / W, nll_i = -sum_c t_ic log softmax(z_i)_c: (w_i / W)(softmax(z_i) sum_c t_ic - t_i).
    return customLoss((...inputs) => {
      const [logits, save] = inputs as [tf.Tensor2D, tf.GradSaveFunc];
      const w = tf.tensor1d(values);
      const logP = tf.logSoftmax(logits);
      const nll = tf.neg(tf.sum(tf.mul(t, logP), -1));
      const wi = tf.mul(tf.sum(tf.mul(t, w), -1), labels.expressionMask);
      const total = tf.maximum(tf.sum(wi), EPS);
      save([logP, wi, total]);
      return {
        value: tf.div(tf.sum(tf.mul(wi, nll)), total),
        gradFunc: (dy, [sLogP, swi, stotal]) => {
          const d = tf.sub(tf.mul(tf.exp(sLogP!), tf.sum(t, -1, true)), t);
          return tf.mul(d, tf.reshape(tf.div(tf.mul(swi!, dy), stotal!), [-1, 1]));
        },
      };
    })(output(outputs.expression, 'expression'));
  };
}

/** The parts of a masked CCC per column: 2 cov, its denominator, the label means and the count. */
function cccParts(x: tf.Tensor2D, y: tf.Tensor2D, mask: tf.Tensor1D) {
  const m = tf.reshape(mask, [-1, 1]);
  const n = tf.maximum(tf.sum(mask), 1);
  const mx = tf.div(tf.sum(tf.mul(x, m), 0), n);
  const my = tf.div(tf.sum(tf.mul(y, m), 0), n);
  const dx = tf.mul(tf.sub(x, mx), m);
  const dy = tf.mul(tf.sub(y, my), m);
  const vx = tf.div(tf.sum(tf.square(dx), 0), n);
  const vy = tf.div(tf.sum(tf.square(dy), 0), n);
  const cov = tf.div(tf.sum(tf.mul(dx, dy), 0), n);
  return { num: tf.mul(2, cov), den: tf.add(tf.add(tf.add(vx, vy), tf.square(tf.sub(mx, my))), EPS), my, n, m };
}

/** Masked CCC of each column of `x` against `y` `[b, 2]`: each mean from its own tensor. */
export function maskedCcc(x: tf.Tensor2D, y: tf.Tensor2D, mask: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const { num, den } = cccParts(x, y, mask);
    return tf.div(num, den) as tf.Tensor1D;
  });
}

export function cccLoss(): TfLoss {
  return (outputs, labels) => {
    const y = labels.va;
    // d CCC / d x_i = (2 m_i / n) [(y_i - my) / den - num (x_i - my) / den^2] for a 0/1 mask (the
    // mask's sums of centred values vanish); the loss is -sum over columns of that.
    return customLoss((...inputs) => {
      const [x, save] = inputs as [tf.Tensor2D, tf.GradSaveFunc];
      const { num, den, my, n, m } = cccParts(x, y, labels.vaMask);
      // No labelled frame in the batch: no signal (rather than 2 - 0).
      const any = tf.cast(tf.greater(tf.sum(labels.vaMask), 1), 'float32');
      save([x, num, den, my, tf.div(tf.mul(m, tf.mul(-2, any)), n)]);
      return {
        value: tf.mul(tf.sum(tf.sub(1, tf.div(num, den))), any),
        gradFunc: (dy, [sx, snum, sden, smy, scale]) => {
          const fromCov = tf.div(tf.sub(y, smy!), sden!);
          const fromDen = tf.mul(tf.sub(sx!, smy!), tf.div(snum!, tf.square(sden!)));
          return tf.mul(tf.sub(fromCov, fromDen), tf.mul(scale!, dy));
        },
      };
    })(output(outputs.va, 'VA'));
  };
}

/** Labels of the given rows as tensors (the caller disposes them). */
export function batchLabels(rows: readonly FrameLabels[]): BatchLabels {
  const b = rows.length;
  const au = new Float32Array(b * NUM_AUS);
  const auMask = new Float32Array(b * NUM_AUS);
  const ex = new Float32Array(b * NUM_EXPRESSIONS);
  const exMask = new Float32Array(b);
  const va = new Float32Array(b * 2);
  const vaMask = new Float32Array(b);
  rows.forEach((r, i) => {
    r.aus.forEach((a, j) => { if (a !== null) { au[i * NUM_AUS + j] = a; auMask[i * NUM_AUS + j] = 1; } });
    if (r.expression !== null) { ex[i * NUM_EXPRESSIONS + r.expression] = 1; exMask[i] = 1; }
    if (r.valence !== null && r.arousal !== null) { va[i * 2] = r.valence; va[i * 2 + 1] = r.arousal; vaMask[i] = 1; }
  });
  return {
    au: tf.tensor2d(au, [b, NUM_AUS]), auMask: tf.tensor2d(auMask, [b, NUM_AUS]),
    expression: tf.tensor2d(ex, [b, NUM_EXPRESSIONS]), expressionMask: tf.tensor1d(exMask),
    va: tf.tensor2d(va, [b, 2]), vaMask: tf.tensor1d(vaMask),
  };
}
