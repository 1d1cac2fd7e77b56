/**
 * MT-CAN's AU-to-expression cross attention (additive attention):
 *   q = AU probabilities `[b, 12]`, k_j = logit j (a scalar), both mapped to `size` dims without bias;
 *   score_j = w . tanh(Wq q + Wk k_j);  alpha = softmax_j(score);  output_j = alpha_j * logit_j.
 */
import * as tf from '@tensorflow/tfjs-core';
import { NUM_AUS } from '@affectzoo/core';
import type { ParamStore } from '../layers/params.js';

export class AuExpressionAttention {
  readonly wq: tf.Variable;
  readonly wk: tf.Variable;
  readonly w: tf.Variable;

  constructor(store: ParamStore, readonly size: number, queries = NUM_AUS) {
    // PyTorch Linear's default init, U(-1/sqrt(in), 1/sqrt(in)).
    this.wq = store.add('attention/Wq', store.uniform([queries, size], 1 / Math.sqrt(queries)));
    this.wk = store.add('attention/Wk', store.uniform([1, size], 1));
    this.w = store.add('attention/w', store.uniform([size, 1], 1 / Math.sqrt(size)));
  }

  /** Attention weights `[b, classes]`. */
  weights(aus: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor2D {
    const [b, c] = logits.shape;
    const q = tf.reshape(tf.matMul(aus, this.wq), [b, 1, this.size]);
    const k = tf.mul(tf.reshape(logits, [b, c, 1]), tf.reshape(this.wk, [1, 1, this.size]));
    const e = tf.reshape(tf.tanh(tf.add(q, k)), [b * c, this.size]) as tf.Tensor2D;
    const scores = tf.reshape(tf.matMul(e, this.w), [b, c]) as tf.Tensor2D;
    return tf.softmax(scores);
  }

  apply(aus: tf.Tensor2D, logits: tf.Tensor2D): tf.Tensor2D {
    return tf.mul(this.weights(aus, logits), logits);
  }
}
