/**
 * What a forward pass needs besides its input: whether it trains (dropout on, batch statistics),
 * a seed source for dropout masks, and where batch-norm layers report the batch statistics that
 * the trainer folds into their running averages after the step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { HeadTask } from '@affectzoo/core';
import type { BatchNorm } from './batchnorm.js';

/** Batch statistics one batch-norm layer saw in a training forward pass (kept tensors). */
export interface BatchStats {
  layer: BatchNorm;
  mean: tf.Tensor;
  variance: tf.Tensor;
  /** Values each statistic averaged over (for the unbiased running variance, as PyTorch). */
  count: number;
}

export class ForwardContext {
  private seedCounter = 0;

  /**
   * @param training dropout and batch statistics on
   * @param seed base seed of this step's dropout masks; both SAM passes of a step use the same
   *   seed, so they differentiate the same function
   * @param stats where training batch-norm layers put their batch statistics; `null` leaves the
   *   running averages alone (SAM's second pass, frozen heads)
   * @param wanted the outputs the caller reads, or `null` for all: a head answering several tasks
   *   (`multi`) computes only these, so a staged run neither pays for the other tasks' branches
   *   nor moves their batch-norm statistics
   */
  constructor(
    readonly training: boolean, readonly seed = 0, readonly stats: BatchStats[] | null = null,
    readonly wanted: ReadonlySet<HeadTask> | null = null,
  ) {}

  /** Whether the caller reads the outputs of `task`. */
  wants(task: HeadTask): boolean {
    return this.wanted === null || this.wanted.has(task);
  }

  /** The next dropout seed (deterministic: layers run in the same order every step). */
  nextSeed(): number {
    return (this.seed * 7919 + ++this.seedCounter * 104729) % 2147483647;
  }

  /** The same settings with `training` off (frozen heads run as at inference). */
  inference(): ForwardContext {
    return new ForwardContext(false, 0, null, this.wanted);
  }
}

/** Fold collected batch statistics into the running averages and free them. */
export function applyBatchStats(stats: BatchStats[]): void {
  tf.tidy(() => {
    for (const s of stats) s.layer.updateRunning(s.mean, s.variance, s.count);
  });
  for (const s of stats) {
    s.mean.dispose();
    s.variance.dispose();
  }
  stats.length = 0;
}
