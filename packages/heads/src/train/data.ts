/** Cached features with their label rows, standardisation, and predictions over a feature matrix. */
import * as tf from '@tensorflow/tfjs-core';
import { NUM_AUS, type AlignedPredictions, type FrameLabels } from '@affectzoo/core';
import { ForwardContext } from '../layers/context.js';
import type { HeadStack } from './model.js';
import { applyAuThresholds } from './calibration.js';

/** A row-major feature matrix `[rows.length, dim]` and the labels of each row. */
export interface FeatureRows {
  features: Float32Array;
  dim: number;
  rows: readonly FrameLabels[];
}

export interface Standardizer {
  mean: Float32Array;
  std: Float32Array;
}

/** Per-feature mean and std of the training features (a constant feature gets std 1). */
export function fitStandardizer({ features, dim }: Pick<FeatureRows, 'features' | 'dim'>): Standardizer {
  const n = features.length / dim;
  const mean = new Float64Array(dim);
  const sq = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const v = features[i * dim + j]!;
      mean[j]! += v;
      sq[j]! += v * v;
    }
  }
  const m = new Float32Array(dim);
  const s = new Float32Array(dim);
  for (let j = 0; j < dim; j++) {
    m[j] = mean[j]! / n;
    const variance = Math.max(sq[j]! / n - m[j]! * m[j]!, 0);
    s[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  return { mean: m, std: s };
}

export function applyStandardizer(features: Float32Array, dim: number, s: Standardizer | null): Float32Array {
  if (!s) return features;
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const j = i % dim;
    out[i] = (features[i]! - s.mean[j]!) / s.std[j]!;
  }
  return out;
}

/** The heads' predictions as plain arrays (expression as argmax; tasks no head answers are 0). */
export interface RowPredictions extends AlignedPredictions {
  valence: Float32Array;
  arousal: Float32Array;
  expression: Int32Array;
  aus: Float32Array;
  /** Expression logits `[n, 8]` row-major (empty when no head answers expressions). */
  logits: Float32Array;
}

export interface PredictOptions {
  /** Rows per forward pass. */
  chunk?: number;
  /** Apply the model's AU thresholds (default true); false gives the raw head outputs, to fit thresholds on. */
  calibrated?: boolean;
}

/**
 * Run the heads at inference on (already standardised) features, in chunks. The AU outputs go
 * through the model's calibration map when it has AU thresholds, so 0.5 stays the decision threshold.
 */
export function predictFeatures(model: HeadStack, features: Float32Array, dim: number, options: PredictOptions = {}): RowPredictions {
  const chunk = options.chunk ?? 2048;
  const n = features.length / dim;
  const out: RowPredictions = {
    valence: new Float32Array(n), arousal: new Float32Array(n), expression: new Int32Array(n),
    aus: new Float32Array(n * NUM_AUS), logits: new Float32Array(0),
  };
  const logits: number[] = [];
  const ctx = new ForwardContext(false);
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    tf.tidy(() => {
      const x = tf.tensor2d(features.subarray(start * dim, end * dim), [end - start, dim]);
      const o = model.forward(x, ctx);
      if (o.au) out.aus.set(o.au.dataSync(), start * NUM_AUS);
      if (o.va) {
        const v = o.va.dataSync();
        for (let i = 0; i < end - start; i++) {
          out.valence[start + i] = v[2 * i]!;
          out.arousal[start + i] = v[2 * i + 1]!;
        }
      }
      if (o.expression) {
        out.expression.set(tf.argMax(o.expression, 1).dataSync(), start);
        logits.push(...o.expression.dataSync());
      }
    });
  }
  out.logits = Float32Array.from(logits);
  if (model.auThresholds && options.calibrated !== false) applyAuThresholds(out.aus, model.auThresholds);
  return out;
}
