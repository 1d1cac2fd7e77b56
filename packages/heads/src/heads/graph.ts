/**
 * The ANFL relation graph (Luo et al. 2022, "Learning Multi-dimensional Edge Feature-based AU
 * Relation Graph"): each node keeps its top-k most similar nodes (itself included), and the
 * adjacency is normalised symmetrically, D^-1/2 A D^-1/2, with D the row sums of A.
 * Similarities use gradient-stopped node features, so the graph is a function of the data only.
 */
import * as tf from '@tensorflow/tfjs-core';

export type GraphMetric = 'dots' | 'cosine' | 'l1';

/** Pairwise similarity `[b, n, n]` of node features `[b, n, c]` (for l1, a distance). */
export function similarity(x: tf.Tensor3D, metric: GraphMetric): tf.Tensor3D {
  return tf.tidy(() => {
    if (metric === 'l1') {
      const [b, n, c] = x.shape;
      const d = tf.abs(tf.sub(tf.reshape(x, [b, n, 1, c]), tf.reshape(x, [b, 1, n, c])));
      return tf.sum(d, -1) as tf.Tensor3D;
    }
    const f = metric === 'cosine' ? l2Normalize(x) : x;
    return tf.matMul(f, f, false, true);
  });
}

/**
 * Keep each row's k largest similarities (k smallest distances for l1): A_ij = 1 when s_ij is at
 * least the row's k-th value. Ties at the threshold keep every tied node, as the competition code.
 */
export function topKAdjacency(x: tf.Tensor3D, k: number, metric: GraphMetric): tf.Tensor3D {
  return tf.tidy(() => {
    const s = similarity(x, metric);
    const [b, n] = s.shape;
    const kk = Math.min(k, n);
    const signed = metric === 'l1' ? tf.neg(s) : s;
    const { values } = tf.topk(signed, kk);
    const threshold = tf.slice(values, [0, 0, kk - 1], [b, n, 1]);
    // s >= t as 1 - step(t - s): the same 0/1 values, but TF.js wasm runs a broadcast
    // greaterEqual ~30x slower than a broadcast subtraction (7 ms here on a [256, 12, 12] graph).
    return tf.sub(1, tf.step(tf.sub(threshold, signed))) as tf.Tensor3D;
  });
}

/**
 * The normalised adjacency of node features `[b, n, c]`, with no gradient: computed as one
 * custom op so the tape never records top-k (which has no gradient in TF.js) — the competition
 * code detaches the features here, so no gradient flows through the graph's structure anyway.
 */
export function graphOf(x: tf.Tensor3D, k: number, metric: GraphMetric): tf.Tensor3D {
  const op = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const nodes = inputs[0] as tf.Tensor3D;
    return {
      value: tf.tidy(() => normalizeAdjacency(topKAdjacency(nodes, k, metric))),
      gradFunc: () => tf.zerosLike(nodes),
    };
  });
  return op(x) as tf.Tensor3D;
}

/** D^-1/2 A D^-1/2 with D = diag(row sums of A). */
export function normalizeAdjacency(a: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const d = tf.rsqrt(tf.sum(a, -1, true)); // [b, n, 1]
    return tf.mul(tf.mul(a, d), tf.transpose(d, [0, 2, 1])) as tf.Tensor3D;
  });
}

/**
 * x / max(||x||_2, 1e-12) along the last axis, as torch.nn.functional.normalize; the norm as
 * sqrt(max(sum x^2, 1e-24)), because tf.norm squares through pow, ~50x slower than square on wasm.
 */
export function l2Normalize<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), -1, true), 1e-24))) as T);
}
