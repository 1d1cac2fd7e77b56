/**
 * F1 scores as the ABAW metric uses them (scikit-learn's conventions).
 *
 * Binary F1 = 2 TP / (2 TP + FP + FN). Zero division: a class with no positives in the labels
 * and none in the predictions scores 0 (scikit-learn's `zero_division=0` default in effect).
 */

/** Binary F1 of 0/1 predictions against 0/1 labels (equal lengths). */
export function binaryF1(labels: ArrayLike<number>, predictions: ArrayLike<number>): number {
  if (labels.length !== predictions.length) throw new Error(`binaryF1: ${labels.length} labels but ${predictions.length} predictions`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] === 1;
    const p = predictions[i] === 1;
    if (y && p) tp++;
    else if (p) fp++;
    else if (y) fn++;
  }
  const denominator = 2 * tp + fp + fn;
  return denominator === 0 ? 0 : (2 * tp) / denominator;
}

/**
 * Per-class F1 (one-vs-rest) for class indices 0..numClasses-1. A predicted index outside that
 * range counts as a false negative of the true class and a false positive of none.
 */
export function perClassF1(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number[] {
  if (labels.length !== predictions.length) throw new Error(`perClassF1: ${labels.length} labels but ${predictions.length} predictions`);
  const tp = new Array<number>(numClasses).fill(0);
  const fp = new Array<number>(numClasses).fill(0);
  const fn = new Array<number>(numClasses).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    const p = predictions[i]!;
    if (y === p) tp[y]!++;
    else {
      // A prediction outside the classes (such as -1, "no prediction") is only a miss.
      if (p >= 0 && p < numClasses) fp[p]!++;
      fn[y]!++;
    }
  }
  return tp.map((t, c) => {
    const d = 2 * t + fp[c]! + fn[c]!;
    return d === 0 ? 0 : (2 * t) / d;
  });
}

/**
 * Macro F1: the unweighted mean of the per-class F1 over all `numClasses` classes. A class absent
 * from both labels and predictions counts as 0, as in the ABAW evaluation (which passes the full
 * label list to scikit-learn).
 */
export function macroF1(labels: ArrayLike<number>, predictions: ArrayLike<number>, numClasses: number): number {
  const f1 = perClassF1(labels, predictions, numClasses);
  return f1.reduce((a, b) => a + b, 0) / numClasses;
}
