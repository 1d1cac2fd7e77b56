/**
 * The contract between a trainer and an optimizer: one call does one full optimizer step
 * (one forward/backward for a plain optimizer, two for SAM), so the trainer never needs to know
 * which it drives.
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * The loss of the current batch. `pass` is 0 for the forward pass at the current weights and 1
 * for SAM's second pass at the perturbed weights: a trainer updates batch-norm running
 * statistics only on pass 0, so they never absorb the perturbed weights.
 */
export type LossFn = (pass: number) => tf.Scalar;

/** A named optimizer state tensor (momentum, moments, step count), for checkpoints. */
export interface OptimizerSlot {
  name: string;
  variable: tf.Variable;
}

export interface StepOptimizer {
  /** The registered name, for messages. */
  readonly name: string;
  setLearningRate(lr: number): void;
  /**
   * Create the state for `vars` (in this order); called once before the first step so a resumed
   * run can load the state into existing slots.
   */
  prepare(vars: readonly tf.Variable[]): void;
  /** One optimizer step on `vars`; returns the loss at the current weights (caller disposes). */
  step(loss: LossFn, vars: readonly tf.Variable[]): tf.Scalar;
  /** Optimizer state, named by the variables' positions so names survive a restart. */
  slots(): OptimizerSlot[];
  dispose(): void;
}

/** An optimizer whose learning rate can change between steps (for schedules). */
export interface LearningRateSettable {
  setLearningRate(lr: number): void;
}

function hasSetLearningRate(o: object): o is LearningRateSettable {
  return typeof (o as Partial<LearningRateSettable>).setLearningRate === 'function';
}

/** A TF.js optimizer that can also report its state by variable position (ours all do). */
export interface SlottedOptimizer {
  prepare(vars: readonly tf.Variable[]): void;
  slots(): OptimizerSlot[];
}

function isSlotted(o: object): o is SlottedOptimizer {
  return typeof (o as Partial<SlottedOptimizer>).slots === 'function' && typeof (o as Partial<SlottedOptimizer>).prepare === 'function';
}

/** Set a TF.js optimizer's learning rate, or fail clearly if it has no setter. */
export function setOptimizerLearningRate(opt: tf.Optimizer, lr: number): void {
  if (hasSetLearningRate(opt)) opt.setLearningRate(lr);
  else throw new Error(`${opt.getClassName()} has no setLearningRate: use a constant schedule or an affectzoo optimizer`);
}

/** Shared plumbing of the step optimizers that wrap a `tf.Optimizer`. */
export abstract class WrappedOptimizer implements StepOptimizer {
  constructor(readonly name: string, readonly base: tf.Optimizer) {}

  setLearningRate(lr: number): void {
    setOptimizerLearningRate(this.base, lr);
  }

  prepare(vars: readonly tf.Variable[]): void {
    if (isSlotted(this.base)) this.base.prepare(vars);
  }

  slots(): OptimizerSlot[] {
    return isSlotted(this.base) ? this.base.slots() : [];
  }

  abstract step(loss: LossFn, vars: readonly tf.Variable[]): tf.Scalar;

  dispose(): void {
    this.base.dispose();
  }
}

/** A plain step: gradient at the current weights, applied by the wrapped optimizer. */
export class PlainStep extends WrappedOptimizer {
  step(loss: LossFn, vars: readonly tf.Variable[]): tf.Scalar {
    const { value, grads } = tf.variableGrads(() => loss(0), [...vars]);
    this.base.applyGradients(grads);
    tf.dispose(grads);
    return value;
  }
}
