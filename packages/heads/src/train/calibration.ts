/**
 * Per-AU decision thresholds, folded into the model's AU outputs so that 0.5 stays the threshold
 * (the ABAW metric and every consumer binarise at 0.5).
 *
 * The map is piecewise linear: [0, t] -> [0, 0.5] and [t, 1] -> [0.5, 1]. It is monotone, keeps
 * [0, 1], sends t to 0.5, and needs nothing of the head but outputs in [0, 1], so it serves the
 * ANFL head's cosine-similarity outputs as well as sigmoid heads (for a sigmoid head a logit bias
 * would be equivalent for the decision, but not for the ANFL scores).
 *
 * Thresholds are fitted per AU by maximising F1 over a fixed grid (coarse on purpose: with a few
 * dozen positives per AU a finer search fits noise). `crossValidatedAuF1` scores the calibration
 * honestly: thresholds fitted on the other groups (subjects) are applied to each held-out group.
 */
import { NUM_AUS } from '@affectzoo/core';

/** Thresholds are kept inside (0, 1) so both linear pieces have a finite slope. */
const T_MIN = 1e-3;
const T_MAX = 1 - 1e-3;

/** The calibration map of one value `p` for threshold `t`. */
export function calibrateValue(p: number, t: number): number {
  const x = Math.min(1, Math.max(0, p));
  const th = Math.min(T_MAX, Math.max(T_MIN, t));
  return x < th ? (0.5 * x) / th : 0.5 + (0.5 * (x - th)) / (1 - th);
}

/** Apply per-AU thresholds to `[n, 12]` row-major AU outputs, in place; returns `aus`. */
export function applyAuThresholds(aus: Float32Array, thresholds: ArrayLike<number>): Float32Array {
  if (thresholds.length !== NUM_AUS) throw new Error(`expected ${NUM_AUS} AU thresholds, got ${thresholds.length}`);
  for (let i = 0; i < aus.length; i++) aus[i] = calibrateValue(aus[i]!, thresholds[i % NUM_AUS]!);
  return aus;
}

/** The default search grid: 0.05, 0.10, ..., 0.95. */
export const THRESHOLD_GRID: readonly number[] = Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100);

/** Binary F1 of (p >= t) against labels (null = unlabelled); 0 when there is nothing to score. */
export function binaryF1(p: ArrayLike<number>, y: ArrayLike<number | null>, t: number): number {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < p.length; i++) {
    const label = y[i];
    if (label === null || label === undefined) continue;
    const hit = p[i]! >= t;
    if (hit && label === 1) tp++;
    else if (hit) fp++;
    else if (label === 1) fn++;
  }
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
}

/**
 * The threshold of one AU that maximises F1 on (p, y); ties go to the threshold nearest 0.5, and
 * an AU without a labelled positive keeps 0.5 (no evidence to move it).
 */
export function fitThreshold(p: ArrayLike<number>, y: ArrayLike<number | null>, grid: readonly number[] = THRESHOLD_GRID): number {
  let positives = 0;
  for (let i = 0; i < y.length; i++) if (y[i] === 1) positives++;
  if (positives === 0) return 0.5;
  let best = 0.5;
  let bestF1 = binaryF1(p, y, 0.5);
  for (const t of grid) {
    const f = binaryF1(p, y, t);
    if (f > bestF1 + 1e-12 || (Math.abs(f - bestF1) <= 1e-12 && Math.abs(t - 0.5) < Math.abs(best - 0.5))) {
      best = t;
      bestF1 = f;
    }
  }
  return best;
}

/** Column j of `[n, 12]` row-major outputs, and of the AU labels of the rows. */
function column(aus: Float32Array, j: number, rows: readonly number[]): Float32Array {
  return Float32Array.from(rows, (i) => aus[i * NUM_AUS + j]!);
}

/** Per-AU thresholds fitted on the given rows (all rows when none given). */
export function fitAuThresholds(aus: Float32Array, labels: readonly (readonly (number | null)[])[], rows?: readonly number[], grid?: readonly number[]): number[] {
  const which = rows ?? labels.map((_, i) => i);
  return Array.from({ length: NUM_AUS }, (_, j) => fitThreshold(column(aus, j, which), which.map((i) => labels[i]![j] ?? null), grid));
}

export interface CalibrationReport {
  /** Thresholds fitted on every row (what the model ships with). */
  thresholds: number[];
  /** Mean AU F1 at 0.5, uncalibrated. */
  f1Before: number;
  /** Mean AU F1 with the thresholds fitted and scored on the same rows (optimistic). */
  f1InSample: number;
  /** Mean AU F1 with each group's thresholds fitted on the other groups (the honest figure). */
  f1CrossValidated: number;
  /** Per-AU F1 at 0.5 and cross-validated. */
  perAuBefore: number[];
  perAuCrossValidated: number[];
  groups: number;
}

/** Per-AU F1 of (output >= t(j)). */
function perAuF1(aus: Float32Array, labels: readonly (readonly (number | null)[])[], t: (j: number) => number): number[] {
  return Array.from({ length: NUM_AUS }, (_, j) => binaryF1(column(aus, j, labels.map((_, i) => i)), labels.map((l) => l[j] ?? null), t(j)));
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);

/**
 * Fit thresholds on raw AU outputs and score the calibration by leave-one-group-out: each group's
 * frames are binarised with thresholds fitted on the other groups only. `groups[i]` names the
 * group (the subject) of row i, so no subject's frames tune its own thresholds.
 */
export function crossValidatedCalibration(
  aus: Float32Array, labels: readonly (readonly (number | null)[])[], groups: readonly string[], grid?: readonly number[],
): CalibrationReport {
  const names = [...new Set(groups)].sort();
  const cv = new Float32Array(aus.length);
  for (const g of names) {
    const fitRows = groups.flatMap((h, i) => (h === g ? [] : [i]));
    const t = fitAuThresholds(aus, labels, fitRows, grid);
    groups.forEach((h, i) => {
      if (h !== g) return;
      for (let j = 0; j < NUM_AUS; j++) cv[i * NUM_AUS + j] = calibrateValue(aus[i * NUM_AUS + j]!, t[j]!);
    });
  }
  const thresholds = fitAuThresholds(aus, labels, undefined, grid);
  // Over all 12 AUs, as the ABAW P_AU (an AU with no labelled frame counts as 0 there too).
  const scoreOf = (xs: number[]) => mean(xs);
  const perAuBefore = perAuF1(aus, labels, () => 0.5);
  const perAuCrossValidated = perAuF1(cv, labels, () => 0.5);
  return {
    thresholds,
    f1Before: scoreOf(perAuBefore),
    f1InSample: scoreOf(perAuF1(aus, labels, (j) => thresholds[j]!)),
    f1CrossValidated: scoreOf(perAuCrossValidated),
    perAuBefore,
    perAuCrossValidated,
    groups: names.length,
  };
}
