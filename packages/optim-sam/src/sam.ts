/**
 * Sharpness-aware minimisation (Foret et al. 2021), wrapping any TF.js optimizer:
 *
 *   g   = grad L(w)
 *   e   = rho * T^2 g / ||T g||     (SAM: T = 1; ASAM, Kwon et al. 2021: T = |w|)
 *   g'  = grad L(w + e)
 *   w  <- base optimizer step from w with g'
 *
 * The weights are restored from a copy rather than by subtracting e, so a SAM step leaves them
 * exactly where a plain optimizer would start. The loss function is told which pass it is in,
 * so batch-norm statistics are updated once, at the unperturbed weights (the competition code
 * updated them a second time at w + e).
 */
import * as tf from '@tensorflow/tfjs-core';
import { WrappedOptimizer, type LossFn } from './step.js';

export interface SamOptions {
  /** Neighbourhood radius. */
  rho: number;
  /** ASAM: scale the perturbation by |w| (scale-invariant sharpness). */
  adaptive: boolean;
}

export class Sam extends WrappedOptimizer {
  constructor(base: tf.Optimizer, readonly options: SamOptions, name = 'sam') {
    super(name, base);
  }

  step(loss: LossFn, vars: readonly tf.Variable[]): tf.Scalar {
    const first = tf.variableGrads(() => loss(0), [...vars]);
    // Variables the loss does not reach (another task's head in a staged run) get no gradient:
    // they are neither perturbed nor stepped.
    const list = vars.filter((v) => first.grads[v.name] != null);
    const saved = list.map((v) => tf.keep(tf.clone(v)));
    tf.tidy(() => {
      const scaled = list.map((v) => {
        const g = first.grads[v.name]!;
        return this.options.adaptive ? tf.mul(tf.abs(v), g) : g;
      });
      const norm = tf.sqrt(tf.addN(scaled.map((s) => tf.sum(tf.square(s)))));
      const scale = tf.div(this.options.rho, tf.add(norm, 1e-12));
      list.forEach((v) => {
        const g = first.grads[v.name]!;
        const e = this.options.adaptive ? tf.mul(tf.mul(tf.square(v), g), scale) : tf.mul(g, scale);
        v.assign(tf.add(v, e));
      });
    });
    tf.dispose(first.grads);
    const second = tf.variableGrads(() => loss(1), list);
    second.value.dispose();
    list.forEach((v, i) => v.assign(saved[i]!));
    tf.dispose(saved);
    this.base.applyGradients(second.grads);
    tf.dispose(second.grads);
    return first.value;
  }
}
