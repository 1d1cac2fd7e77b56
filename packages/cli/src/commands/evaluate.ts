/** `affectzoo evaluate`: the official ABAW multi-task metric of a predictions file against labels. */
import { abawScoresByImage, AU_NAMES, EXPRESSION_NAMES, readAnnotations, readPredictions, type AbawScores } from '@affectzoo/core';

export interface EvaluateOptions {
  labels: string;
  predictions: string;
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

export async function runEvaluate(o: EvaluateOptions): Promise<void> {
  const scores = await evaluateFiles(o.labels, o.predictions);
  console.log(o.json ? JSON.stringify(scores) : formatScores(scores));
}
