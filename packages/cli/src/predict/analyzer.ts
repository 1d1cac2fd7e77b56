/**
 * The model behind `affectzoo predict`: the config's backbone on its backend (ONNX Runtime or
 * TF.js) and the trained heads of a checkpoint on TF.js, as one `FaceAnalyzer` over aligned crops.
 */
import { dirname, join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, defaultCacheDir, loadConfig, NUM_AUS, NUM_EXPRESSIONS, type FeatureExtractor, type RgbImage } from '@affectzoo/core';
import { applyStandardizer, loadModel, predictFeatures, type LoadedModel } from '@affectzoo/heads';
import type { FaceAnalyzer, FaceOutputs } from '@affectzoo/faces';
import { buildRegistry } from '../registry.js';
import { useTrainingBackend } from '../commands/training-backend.js';

export interface LoadedAnalyzer extends FaceAnalyzer {
  /** One line naming the backbone, its backend and the heads. */
  readonly description: string;
  dispose(): Promise<void>;
}

/** Softmax of one row of logits. */
function softmax(logits: ArrayLike<number>, offset: number, n: number): number[] {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[offset + i]!);
  const e = Array.from({ length: n }, (_, i) => Math.exp(logits[offset + i]! - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

/** A backbone and trained heads as a `FaceAnalyzer`. */
export function faceAnalyzer(extractor: FeatureExtractor, heads: LoadedModel, description: string): LoadedAnalyzer {
  const dim = extractor.featureSize;
  if (heads.meta.inputSize !== dim) {
    throw new ConfigError([{ path: 'backbone', message: `the checkpoint's heads take ${heads.meta.inputSize}-d features but this backbone gives ${dim}-d: use the backbone the heads were trained on` }]);
  }
  return {
    input: { width: extractor.input.width, height: extractor.input.height },
    description,
    async analyze(crops: readonly RgbImage[]): Promise<FaceOutputs[]> {
      const features = applyStandardizer(await extractor.extract(crops), dim, heads.standardizer);
      const p = predictFeatures(heads.model, features, dim);
      return crops.map((_, i) => ({
        aus: p.aus.subarray(i * NUM_AUS, (i + 1) * NUM_AUS),
        expression: p.logits.length > 0 ? softmax(p.logits, i * NUM_EXPRESSIONS, NUM_EXPRESSIONS) : new Array<number>(NUM_EXPRESSIONS).fill(0),
        valence: p.valence[i]!,
        arousal: p.arousal[i]!,
      }));
    },
    async dispose() {
      await extractor.dispose();
      heads.model.dispose();
    },
  };
}

/** The default model bundled with this package (heads trained by `npm run train:default`). */
export const DEFAULT_MODEL_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../models/default');

/**
 * The backend for the bundled model's faceres backbone when none is asked for: ONNX Runtime (about
 * 6x faster) when the faceres ONNX file is in the model cache, else TF.js wasm on the npm model.
 */
function defaultBackend(): string {
  return existsSync(join(defaultCacheDir(), 'faceres_mobilenetv1.onnx')) ? 'onnx' : 'wasm';
}

/**
 * Load a trained model: `checkpoint` is a training output folder (`model.azw`); the backbone and
 * backend come from `config`, else from the `config.yaml` beside the model; `backend` overrides
 * the config's. Without a checkpoint, the bundled default model.
 */
export async function loadFaceAnalyzer(o: { config?: string; checkpoint?: string; backend?: string }): Promise<LoadedAnalyzer> {
  const bundled = !o.checkpoint;
  const checkpoint = resolve(o.checkpoint ?? DEFAULT_MODEL_DIR);
  if (!existsSync(join(checkpoint, 'model.azw'))) {
    throw new ConfigError([{ path: '--checkpoint', message: bundled
      ? `no default model in ${checkpoint}; give --checkpoint <dir> of a model trained with \`affectzoo train\``
      : `${checkpoint} holds no model.azw; give the output folder of \`affectzoo train\`` }]);
  }
  const configFile = o.config ?? join(checkpoint, 'config.yaml');
  if (!existsSync(configFile)) throw new ConfigError([{ path: '--config', message: `give the config the model was trained with (${configFile} does not exist)` }]);
  const loaded = await loadConfig(configFile);
  // The backbone may run on another backend than it was trained on: features agree across backends.
  const backendName = o.backend ?? (bundled ? defaultBackend() : loaded.backend.name);
  const config = backendName !== loaded.backend.name ? { ...loaded, backend: { name: backendName, options: {} } } : loaded;
  const registry = await buildRegistry(config, dirname(resolve(configFile)));
  const backend = await registry.create('backend', config.backend, 'backend');
  const backbone = await registry.create('backbone', config.backbone, 'backbone');
  const extractor = await backbone.load(backend);
  await useTrainingBackend(config, registry);
  const heads = await loadModel(join(checkpoint, 'model.azw'), registry);
  const name = bundled ? 'the default model' : checkpoint;
  return faceAnalyzer(extractor, heads, `${name}: ${config.backbone.name} on ${backend.describe()}, heads ${heads.meta.heads.map((h) => h.name).join(' + ')}`);
}
