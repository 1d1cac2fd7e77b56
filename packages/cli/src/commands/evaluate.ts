/** `affectzoo evaluate`: the official ABAW multi-task metric of a predictions file against labels. */
import {
  abawScores, abawScoresByImage, AU_NAMES, NUM_AUS, EXPRESSION_NAMES, InputError, loadConfig, readAnnotations, readPredictions, type AbawScores,
} from '@affectzoo/core';
import { basename, join } from 'node:path';
import {
  applyStandardizer, crossValidatedCalibration, featureRowsFor, loadFeatureIndex, predictFeatures, saveModel, type CalibrationReport,
} from '@affectzoo/heads';
import { loadCheckpoint } from './predict-features.js';
import { setName } from './train.js';

export interface EvaluateOptions {
  labels?: string;
  predictions?: string;
  /** With `checkpoint`: score a trained model on the config's validation files. */
  config?: string;
  checkpoint?: string;
  json?: boolean;
}

export async function evaluateFiles(labelsFile: string, predictionsFile: string): Promise<AbawScores> {
  const labels = await readAnnotations(labelsFile);
  const predictions = await readPredictions(predictionsFile);
  return abawScoresByImage(labels.rows, predictions, predictionsFile);
}

const f = (x: number) => x.toFixed(4);

/** The scores as a short human-readable report. */
export function formatScores(s: AbawScores): string {
  const lines = [
    `P_MTL ${f(s.P_MTL)} = P_AU ${f(s.P_AU)} + P_EX ${f(s.P_EX)} + P_VA ${f(s.P_VA)}`,
    `frames ${s.counts.frames}; labelled: VA ${s.counts.va}, expression ${s.counts.expression}, AU ${Math.max(0, ...s.counts.au)}`,
    `AU F1:         ${AU_NAMES.map((n, j) => `${n} ${f(s.au_f1[j]!)} (n=${s.counts.au[j]})`).join(', ')}`,
    `expression F1: ${EXPRESSION_NAMES.map((n, c) => `${n} ${f(s.ex_f1[c]!)}`).join(', ')}`,
    `CCC: valence ${f(s.ccc_valence)}, arousal ${f(s.ccc_arousal)}`,
  ];
  return lines.join('\n');
}

/** Scores of a checkpoint (`<dir>/model.azw`) on each of the config's validation files. */
export async function evaluateCheckpoint(configFile: string, checkpoint: string): Promise<Record<string, AbawScores>> {
  const config = await loadConfig(configFile);
  if (config.data.val.length === 0) throw new InputError(configFile, undefined, 'data.val lists no validation file to evaluate on');
  const { model, standardizer } = await loadCheckpoint(checkpoint, config.backend);
  try {
    const index = await loadFeatureIndex(config.data.features);
    const scores: Record<string, AbawScores> = {};
    for (const file of config.data.val) {
      const set = await featureRowsFor(file, index);
      scores[setName(file)] = abawScores(set.rows, predictFeatures(model, applyStandardizer(set.features, set.dim, standardizer), set.dim));
    }
    return scores;
  } finally {
    model.dispose();
  }
}

export async function runEvaluate(o: EvaluateOptions): Promise<void> {
  if (o.config || o.checkpoint) {
    if (!o.config || !o.checkpoint) throw new InputError(o.config ?? o.checkpoint ?? '', undefined, '--config and --checkpoint go together');
    const all = await evaluateCheckpoint(o.config, o.checkpoint);
    console.log(o.json ? JSON.stringify(all) : Object.entries(all).map(([name, s]) => `${name}\n${formatScores(s)}`).join('\n\n'));
    return;
  }
  if (!o.labels || !o.predictions) throw new InputError(o.labels ?? o.predictions ?? 'evaluate', undefined, 'give --labels and --predictions, or --config and --checkpoint');
  const scores = await evaluateFiles(o.labels, o.predictions);
  console.log(o.json ? JSON.stringify(scores) : formatScores(scores));
}

/** The group (subject) of an image for calibration folds: CK+'s `S###` file-name prefix, else the file name. */
export function subjectOf(image: string): string {
  return /^(S\d+)/.exec(basename(image))?.[1] ?? basename(image);
}

/**
 * The default threshold grid of `calibrateCheckpoint`: 0.3 to 0.7 in steps of 0.1. A finer, wider
 * grid (0.05 to 0.95) fits the 129 CK+ validation frames better in-sample but scores worse
 * leave-one-subject-out (MODEL_CARD.md): with a few dozen positives per AU it fits noise.
 */
export const CALIBRATION_GRID: readonly number[] = [0.3, 0.4, 0.5, 0.6, 0.7];

export interface CalibrationResult extends CalibrationReport {
  /** Whether the thresholds were folded in: only when they beat 0.5 leave-one-subject-out. */
  applied: boolean;
  /** The validation files whose AU-labelled frames were used. */
  files: string[];
  frames: number;
  /** The model file written with the thresholds. */
  out: string;
}

/**
 * Fit per-AU thresholds on the AU-labelled frames of the config's validation files (the raw head
 * outputs, so an already calibrated model is recalibrated from scratch), score them by
 * leave-one-subject-out (`groupOf`), and write `<outDir>/model.azw`: with the thresholds folded in
 * when the cross-validated AU F1 beats the uncalibrated one, else without thresholds (a
 * calibration that does not generalise across subjects would only add noise).
 */
export async function calibrateCheckpoint(
  configFile: string, checkpoint: string, outDir = checkpoint,
  { groupOf = subjectOf, grid = CALIBRATION_GRID }: { groupOf?: (image: string) => string; grid?: readonly number[] } = {},
): Promise<CalibrationResult> {
  const config = await loadConfig(configFile);
  const { model, standardizer } = await loadCheckpoint(checkpoint, config.backend);
  try {
    const index = await loadFeatureIndex(config.data.features);
    const aus: number[] = [];
    const labels: (number | null)[][] = [];
    const groups: string[] = [];
    const files: string[] = [];
    for (const file of config.data.val) {
      const set = await featureRowsFor(file, index);
      const keep = set.rows.flatMap((r, i) => (r.aus.some((a) => a !== null) ? [i] : []));
      if (keep.length === 0) continue;
      files.push(setName(file));
      const p = predictFeatures(model, applyStandardizer(set.features, set.dim, standardizer), set.dim, { calibrated: false });
      for (const i of keep) {
        aus.push(...p.aus.subarray(i * NUM_AUS, (i + 1) * NUM_AUS));
        labels.push([...set.rows[i]!.aus]);
        groups.push(`${file}:${groupOf(set.rows[i]!.image)}`);
      }
    }
    if (labels.length === 0) throw new InputError(configFile, undefined, 'no validation file carries AU labels to calibrate on');
    const report = crossValidatedCalibration(Float32Array.from(aus), labels, groups, grid);
    const applied = report.f1CrossValidated > report.f1Before;
    model.auThresholds = applied ? report.thresholds : null;
    const out = join(outDir, 'model.azw');
    await saveModel(out, model, standardizer);
    return { ...report, applied, files, frames: labels.length, out };
  } finally {
    model.dispose();
  }
}
