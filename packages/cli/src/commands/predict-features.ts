/**
 * `affectzoo predict-features --checkpoint <dir> --features <folder> --out <file>`: the trained
 * heads on a feature folder, written as an ABAW multi-task submission file (AUs as 0/1 at the
 * 0.5 threshold, expression as the class index, valence and arousal as numbers).
 */
import { join } from 'node:path';
import { AU_THRESHOLD, NUM_AUS, readFeatures, writePredictions, type ComponentRef, type FramePrediction } from '@affectzoo/core';
import { applyStandardizer, loadModel, predictFeatures, type LoadedModel, type RowPredictions } from '@affectzoo/heads';
import { buildRegistry } from '../registry.js';
import { useTrainingBackend } from './training-backend.js';

export interface PredictFeaturesOptions {
  checkpoint: string;
  features: string;
  out: string;
  backend?: string;
}

/** Load `<dir>/model.azw` on a TF.js backend (`wasm` unless told otherwise). */
export async function loadCheckpoint(dir: string, backend: ComponentRef = { name: 'wasm' }): Promise<LoadedModel> {
  const registry = await buildRegistry();
  await useTrainingBackend({ backend: { name: backend.name, options: backend.options ?? {} } }, registry);
  return loadModel(join(dir, 'model.azw'), registry);
}

export function toSubmission(images: readonly string[], p: RowPredictions): FramePrediction[] {
  return images.map((image, i) => ({
    image,
    valence: p.valence[i]!,
    arousal: p.arousal[i]!,
    expression: p.expression[i]!,
    aus: Array.from(p.aus.subarray(i * NUM_AUS, (i + 1) * NUM_AUS), (a) => (a >= AU_THRESHOLD ? 1 : 0)),
  }));
}

export async function runPredictFeatures(o: PredictFeaturesOptions): Promise<void> {
  const { model, standardizer, meta } = await loadCheckpoint(o.checkpoint, { name: o.backend ?? 'wasm' });
  try {
    const set = await readFeatures(o.features);
    const [n, dim] = set.shape;
    if (dim !== meta.inputSize) throw new Error(`features have ${dim} values per row, the model takes ${meta.inputSize}`);
    const p = predictFeatures(model, applyStandardizer(set.features, dim, standardizer), dim);
    await writePredictions(o.out, toSubmission(set.rows.map((r) => r.image), p));
    console.log(`wrote ${n} predictions to ${o.out}`);
  } finally {
    model.dispose();
  }
}
