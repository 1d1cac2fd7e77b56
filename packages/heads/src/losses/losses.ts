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
import { stopGradient } from '../layers/ops.js';
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

export function weightedAsymmetricLoss(weights: readonly number[]): TfLoss {
  const values = Float32Array.from(weights);
  // Built per call inside the tidy: 12 numbers, and no tensor outlives the loss.
  return (outputs, labels) => tf.tidy(() => {
    const w = tf.tensor2d(values, [1, NUM_AUS]);
    const p = output(outputs.au, 'AU');
    const y = labels.au;
    const pos = tf.mul(y, tf.log(tf.maximum(p, EPS)));
    const neg = tf.mul(tf.mul(tf.sub(1, y), stopGradient(p)), tf.log(tf.maximum(tf.sub(1, p), EPS)));
    const per = tf.mul(tf.mul(tf.add(pos, neg), w), labels.auMask);
    return tf.neg(tf.div(tf.sum(per), tf.maximum(tf.sum(labels.auMask), 1))) as tf.Scalar;
  });
}

export function weightedCrossEntropy(weights: readonly number[]): TfLoss {
  const values = Float32Array.from(weights);
  return (outputs, labels) => tf.tidy(() => {
    const w = tf.tensor1d(values);
    const logits = output(outputs.expression, 'expression');
    const nll = tf.neg(tf.sum(tf.mul(labels.expression, tf.logSoftmax(logits)), -1));
    const wi = tf.mul(tf.sum(tf.mul(labels.expression, w), -1), labels.expressionMask);
    return tf.div(tf.sum(tf.mul(wi, nll)), tf.maximum(tf.sum(wi), EPS)) as tf.Scalar;
  });
}

/** Masked CCC of each column of `x` against `y` `[b, 2]`: each mean from its own tensor. */
export function maskedCcc(x: tf.Tensor2D, y: tf.Tensor2D, mask: tf.Tensor1D): tf.Tensor1D {
  return tf.tidy(() => {
    const m = tf.reshape(mask, [-1, 1]);
    const n = tf.maximum(tf.sum(mask), 1);
    const mx = tf.div(tf.sum(tf.mul(x, m), 0), n);
    const my = tf.div(tf.sum(tf.mul(y, m), 0), n);
    const dx = tf.mul(tf.sub(x, mx), m);
    const dy = tf.mul(tf.sub(y, my), m);
    const vx = tf.div(tf.sum(tf.square(dx), 0), n);
    const vy = tf.div(tf.sum(tf.square(dy), 0), n);
    const cov = tf.div(tf.sum(tf.mul(dx, dy), 0), n);
    return tf.div(tf.mul(2, cov), tf.add(tf.add(tf.add(vx, vy), tf.square(tf.sub(mx, my))), EPS)) as tf.Tensor1D;
  });
}

export function cccLoss(): TfLoss {
  return (outputs, labels) => tf.tidy(() => {
    const c = maskedCcc(output(outputs.va, 'VA'), labels.va, labels.vaMask);
    // No labelled frame in the batch: no signal (rather than 2 - 0).
    const any = tf.cast(tf.greater(tf.sum(labels.vaMask), 1), 'float32');
    return tf.mul(tf.sum(tf.sub(1, c)), any) as tf.Scalar;
  });
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
