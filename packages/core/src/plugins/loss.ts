/**
 * What a `loss` factory creates. A loss is masked: it only sees the frames that carry its task's
 * label. Class weights come from the training labels, so the runtime calls `prepare` with them
 * before training; the product is the runtime's own loss function (narrowed by its package).
 */
import type { FrameLabels } from '../data/annotations.js';

export interface LossPlugin {
  /** The registered name of the factory that made it. */
  readonly name: string;
  /** The task whose labels it uses. */
  readonly task: 'au' | 'expression' | 'va';
  /** Fix the loss's label statistics (class weights) from the training rows; returns the runtime's loss. */
  prepare(trainLabels: readonly FrameLabels[]): unknown;
}
