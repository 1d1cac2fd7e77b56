/** `affectzoo evaluate`: the official ABAW multi-task metric of a predictions file against labels. */
import {
  abawScores, abawScoresByImage, AU_NAMES, EXPRESSION_NAMES, InputError, loadConfig, readAnnotations, readPredictions, type AbawScores,
} from '@affectzoo/core';
import { applyStandardizer, featureRowsFor, loadFeatureIndex, predictFeatures } from '@affectzoo/heads';
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
