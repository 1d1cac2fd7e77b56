/**
 * The optimizers' per-variable updates as TF.js kernels, so a backend package can run each as one
 * pass over the weights: composed from TF.js ops, Adam is ~14 elementwise kernels, each writing a
 * new weight-sized tensor, which costs more than the head's matrix products once those run on a
 * native BLAS. A package that registers a kernel under one of these names for a backend
 * (@affectzoo/tfjs-blas does for wasm) must compute exactly what the composed fallback below
 * computes, in float32 and in the same order; every scalar is computed here, once, for both.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Inputs `w`, `g`, `m`, `v`; outputs `[w, m, v]` after one step. */
export const ADAM_UPDATE_KERNEL = 'AffectzooAdamUpdate';
/** Inputs `w`, `g` and, with momentum, `buf`; outputs `[w]` or `[w, buf]`. */
export const SGD_UPDATE_KERNEL = 'AffectzooSgdUpdate';

export interface AdamUpdateAttrs {
  /** Coupled (L2) decay added to the gradient, 0 for none. */
  weightDecay: number;
  /** Decoupled decay: the weights' multiplier before the step (1 - lr wd), 1 for none. */
  decay: number;
  beta1: number;
  oneMinusBeta1: number;
  beta2: number;
  oneMinusBeta2: number;
  /** sqrt(1 - beta2^t). */
  sqrtBiasCorrection2: number;
  epsilon: number;
  /** lr / (1 - beta1^t). */
  stepSize: number;
}

export interface SgdUpdateAttrs {
  learningRate: number;
  /** 0: plain SGD (no buffer). */
  momentum: number;
  weightDecay: number;
  nesterov: boolean;
}

function hasKernel(name: string): boolean {
  // getKernel's type says KernelConfig, but it returns undefined for an unregistered kernel.
  return (tf.getKernel(name, tf.getBackend()) as tf.KernelConfig | undefined) !== undefined;
}

function run(name: string, inputs: tf.NamedTensorMap, attrs: AdamUpdateAttrs | SgdUpdateAttrs): tf.Tensor[] {
  return tf.engine().runKernel(name, inputs, { ...attrs }) as tf.Tensor[];
}

/** One Adam step of one variable: `[w, m, v]` after it. */
export function adamUpdate(w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, a: AdamUpdateAttrs): tf.Tensor[] {
  if (hasKernel(ADAM_UPDATE_KERNEL)) return run(ADAM_UPDATE_KERNEL, { w, g, m, v }, a);
  const grad = a.weightDecay !== 0 ? tf.add(g, tf.mul(w, a.weightDecay)) : g;
  const shrunk = a.decay !== 1 ? tf.mul(w, a.decay) : w;
  const m1 = tf.add(tf.mul(m, a.beta1), tf.mul(grad, a.oneMinusBeta1));
  const v1 = tf.add(tf.mul(v, a.beta2), tf.mul(tf.square(grad), a.oneMinusBeta2));
  const denom = tf.add(tf.div(tf.sqrt(v1), a.sqrtBiasCorrection2), a.epsilon);
  return [tf.sub(shrunk, tf.mul(tf.div(m1, denom), a.stepSize)), m1, v1];
}

/** One SGD step of one variable: `[w]`, or `[w, buf]` with momentum. */
export function sgdUpdate(w: tf.Tensor, g: tf.Tensor, buf: tf.Tensor | null, a: SgdUpdateAttrs): tf.Tensor[] {
  if ((a.momentum !== 0) !== (buf !== null)) throw new Error('sgdUpdate: a momentum buffer is needed exactly when momentum is not 0');
  if (hasKernel(SGD_UPDATE_KERNEL)) return run(SGD_UPDATE_KERNEL, buf ? { w, g, buf } : { w, g }, a);
  let step = a.weightDecay !== 0 ? tf.add(g, tf.mul(w, a.weightDecay)) : g;
  let next: tf.Tensor | null = null;
  if (buf) {
    next = tf.add(tf.mul(buf, a.momentum), step);
    step = a.nesterov ? tf.add(step, tf.mul(next, a.momentum)) : next;
  }
  const w1 = tf.sub(w, tf.mul(step, a.learningRate));
  return next ? [w1, next] : [w1];
}
