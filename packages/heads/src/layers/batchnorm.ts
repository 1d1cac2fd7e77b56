/**
 * Batch normalisation as PyTorch has it (momentum 0.1, eps 1e-5, unbiased running variance).
 * Training uses the batch statistics and reports them to the context; the running averages move
 * only when the trainer applies them, once per step, and never for a frozen head.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ForwardContext } from './context.js';
import type { ParamStore } from './params.js';

export class BatchNorm {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;

  /**
   * @param shape the per-feature shape of the statistics, broadcast against the input
   * @param axes input axes the statistics average over
   */
  constructor(store: ParamStore, name: string, readonly shape: number[], readonly axes: number[], readonly momentum = 0.1, readonly eps = 1e-5) {
    this.gamma = store.add(`${name}/gamma`, tf.ones(shape));
    this.beta = store.add(`${name}/beta`, tf.zeros(shape));
    this.runningMean = store.add(`${name}/running_mean`, tf.zeros(shape), false);
    this.runningVar = store.add(`${name}/running_var`, tf.ones(shape), false);
  }

  apply(x: tf.Tensor, ctx: ForwardContext): tf.Tensor {
    if (!ctx.training) return this.normalize(x, this.runningMean, this.runningVar);
    return tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const [input, gamma, beta, save] = inputs as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
      const { mean, variance } = tf.moments(input, this.axes, true);
      const m = tf.reshape(mean, this.shape);
      const v = tf.reshape(variance, this.shape);
      if (ctx.stats) {
        const count = this.axes.reduce((n, a) => n * input.shape[a]!, 1);
        ctx.stats.push({ layer: this, mean: tf.keep(tf.clone(m)), variance: tf.keep(tf.clone(v)), count });
      }
      const inv = tf.rsqrt(tf.add(v, this.eps));
      save([input, m, inv, gamma]);
      return { value: tf.add(tf.mul(tf.sub(input, m), tf.mul(inv, gamma)), beta), gradFunc: (dy, saved) => this.gradients(dy, saved) };
    })(x, this.gamma, this.beta);
  }

  /**
   * The batch-statistics normalisation's gradients in closed form (x^ = (x - mean) / sigma):
   * dx = gamma / sigma (dy - mean(dy) - x^ mean(dy x^)), dgamma = sum(dy x^), dbeta = sum(dy), the
   * means and sums over the statistics' axes. Differentiating the composed ops instead records
   * ~20 ops (and their saved inputs) per layer, which is most of a small head's step.
   */
  private gradients(dy: tf.Tensor, [x, m, inv, gamma]: tf.Tensor[]): tf.Tensor[] {
    const xhat = tf.mul(tf.sub(x!, m!), inv!);
    const dyXhat = tf.mul(dy, xhat);
    const centred = tf.sub(tf.sub(dy, tf.mean(dy, this.axes, true)), tf.mul(xhat, tf.mean(dyXhat, this.axes, true)));
    return [
      tf.mul(centred, tf.mul(inv!, gamma!)),
      tf.reshape(tf.sum(dyXhat, this.axes), this.shape),
      tf.reshape(tf.sum(dy, this.axes), this.shape),
    ];
  }

  /**
   * (x - mean) / sqrt(var + eps) * gamma + beta, written out: TF.js's fused batchNorm gradient
   * assumes per-last-axis parameters and fails on the graph's per-node statistics `[1, 12, 1]`.
   */
  private normalize(x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor): tf.Tensor {
    const scale = tf.mul(tf.rsqrt(tf.add(variance, this.eps)), this.gamma);
    return tf.add(tf.mul(tf.sub(x, mean), scale), this.beta);
  }

  /** running = (1 - momentum) running + momentum batch (variance made unbiased, as PyTorch). */
  updateRunning(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const unbiased = count > 1 ? tf.mul(variance, count / (count - 1)) : variance;
    this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - this.momentum), tf.mul(mean, this.momentum)));
    this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - this.momentum), tf.mul(unbiased, this.momentum)));
  }
}
