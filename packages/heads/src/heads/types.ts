/**
 * The TF.js side of a head plugin: `build` returns a `HeadModule`, which the trainer runs in
 * config order, each head reading the outputs of the heads before it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { HeadInput, HeadPlugin, HeadTask } from '@affectzoo/core';
import type { ForwardContext } from '../layers/context.js';
import type { Param } from '../layers/params.js';

/**
 * What the heads produce, each task optional (a head fills its own).
 * - `au`: `[b, 12]` AU probabilities (thresholded at 0.5);
 * - `expression`: `[b, 8]` logits;
 * - `va`: `[b, 2]` valence, arousal in [-1, 1].
 */
export interface HeadOutputs {
  au?: tf.Tensor2D;
  expression?: tf.Tensor2D;
  va?: tf.Tensor2D;
}

export interface HeadModule {
  readonly name: string;
  readonly task: HeadTask;
  readonly needs: readonly HeadInput[];
  /** Every variable (trainable weights and batch-norm running statistics). */
  readonly params: readonly Param[];
  /** Outputs of this head for features `x` `[b, inputSize]`, given the earlier heads' outputs. */
  forward(x: tf.Tensor2D, prior: HeadOutputs, ctx: ForwardContext): HeadOutputs;
  dispose(): void;
}

export interface TfHeadPlugin extends HeadPlugin {
  build(inputSize: number, seed: number): HeadModule;
}

/** Narrow a registry product to a TF.js head. */
export function asTfHead(p: HeadPlugin): TfHeadPlugin {
  return p as TfHeadPlugin;
}
