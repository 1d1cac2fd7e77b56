/**
 * The ABAW multi-task metric (s-Aff-Wild2), each task over the frames that carry its label:
 *
 *   P_AU  = mean over the 12 AUs of binary F1 of (output >= 0.5)
 *   P_EX  = macro F1 over the 8 expression classes
 *   P_VA  = (CCC_valence + CCC_arousal) / 2
 *   P_MTL = P_AU + P_EX + P_VA
 *
 * A task with no labelled frame scores 0 (so P_MTL stays a number), and its counts say so.
 */
import { NUM_AUS, NUM_EXPRESSIONS } from '../labels.js';
import type { FrameLabels, FramePrediction } from '../data/annotations.js';
import { binaryF1, perClassF1 } from './f1.js';
import { ccc } from './ccc.js';
import { InputError } from '../errors.js';

export interface AbawCounts {
  /** Frames scored. */
  frames: number;
  /** Frames carrying a VA label. */
  va: number;
  /** Frames carrying an expression label. */
  expression: number;
  /** Frames carrying each AU's label, in `AU_NAMES` order. */
  au: number[];
}

export interface AbawScores {
  P_AU: number;
  P_EX: number;
  P_VA: number;
  P_MTL: number;
  au_f1: number[];
  ex_f1: number[];
  ccc_valence: number;
  ccc_arousal: number;
  counts: AbawCounts;
}

/** Prediction arrays aligned with the label rows (row i predicts label row i). */
export interface AlignedPredictions {
  valence: ArrayLike<number>;
  arousal: ArrayLike<number>;
  expression: ArrayLike<number>;
  /** AU outputs, `[frame][au]` or flat row-major `frames x 12`. */
  aus: ArrayLike<number>;
}

/** The AU threshold of the official metric. */
export const AU_THRESHOLD = 0.5;

/** Score predictions aligned row by row with labels. */
export function abawScores(labels: readonly FrameLabels[], predictions: AlignedPredictions): AbawScores {
  const n = labels.length;
  for (const key of ['valence', 'arousal', 'expression'] as const) {
    if (predictions[key].length !== n) throw new Error(`abawScores: ${n} label rows but ${predictions[key].length} ${key} predictions`);
  }
  if (predictions.aus.length !== n * NUM_AUS) throw new Error(`abawScores: expected ${n * NUM_AUS} AU outputs (${n} x ${NUM_AUS}), got ${predictions.aus.length}`);

  const au_f1: number[] = [];
  const auCounts: number[] = [];
  for (let j = 0; j < NUM_AUS; j++) {
    const y: number[] = [];
    const p: number[] = [];
    labels.forEach((r, i) => {
      const a = r.aus[j];
      if (a === null || a === undefined) return;
      y.push(a);
      p.push(predictions.aus[i * NUM_AUS + j]! >= AU_THRESHOLD ? 1 : 0);
    });
    auCounts.push(y.length);
    au_f1.push(y.length === 0 ? 0 : binaryF1(y, p));
  }

  const ey: number[] = [];
  const ep: number[] = [];
  const vy: number[] = [];
  const vp: number[] = [];
  const ay: number[] = [];
  const ap: number[] = [];
  labels.forEach((r, i) => {
    if (r.expression !== null) {
      ey.push(r.expression);
      ep.push(predictions.expression[i]!);
    }
    if (r.valence !== null && r.arousal !== null) {
      vy.push(r.valence);
      vp.push(predictions.valence[i]!);
      ay.push(r.arousal);
      ap.push(predictions.arousal[i]!);
    }
  });
  const ex_f1 = ey.length === 0 ? new Array<number>(NUM_EXPRESSIONS).fill(0) : perClassF1(ey, ep, NUM_EXPRESSIONS);
  const ccc_valence = vy.length === 0 ? 0 : ccc(vp, vy);
  const ccc_arousal = ay.length === 0 ? 0 : ccc(ap, ay);
  const anyAu = auCounts.some((c) => c > 0);
  const P_AU = anyAu ? au_f1.reduce((a, b) => a + b, 0) / NUM_AUS : 0;
  const P_EX = ex_f1.reduce((a, b) => a + b, 0) / NUM_EXPRESSIONS;
  const P_VA = (ccc_valence + ccc_arousal) / 2;
  return {
    P_AU, P_EX, P_VA, P_MTL: P_AU + P_EX + P_VA,
    au_f1, ex_f1, ccc_valence, ccc_arousal,
    counts: { frames: n, va: vy.length, expression: ey.length, au: auCounts },
  };
}

/**
 * Score a predictions file's rows against annotation rows, matched by image path. Every labelled
 * frame needs a prediction; a missing one is an error naming the image.
 */
export function abawScoresByImage(labels: readonly FrameLabels[], predictions: readonly FramePrediction[], predictionsFile = 'predictions'): AbawScores {
  const byImage = new Map<string, FramePrediction>();
  for (const p of predictions) byImage.set(p.image, p);
  const valence: number[] = [];
  const arousal: number[] = [];
  const expression: number[] = [];
  const aus: number[] = [];
  for (const r of labels) {
    const p = byImage.get(r.image);
    if (!p) throw new InputError(predictionsFile, undefined, `no prediction for image ${r.image}`);
    valence.push(p.valence);
    arousal.push(p.arousal);
    expression.push(p.expression);
    aus.push(...p.aus);
  }
  return abawScores(labels, { valence, arousal, expression, aus });
}
