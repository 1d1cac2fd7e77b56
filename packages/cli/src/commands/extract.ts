/**
 * `affectzoo extract`: run the configured backbone over an annotation file's images and write the
 * feature folder. Flags override the config, so it runs without a config file:
 * `affectzoo extract --backbone faceres --backend onnx --data train.txt --out features/train`.
 */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigError, defineConfig, loadConfig, type AffectzooConfig, type BadImagePolicy } from '@affectzoo/core';
import { buildRegistry } from '../registry.js';
import { createProgressBar } from '../progress.js';
import { runExtraction, type ExtractionResult } from '../extract/run-extraction.js';

export interface ExtractOptions {
  config?: string;
  data?: string;
  out?: string;
  backbone?: string;
  backend?: string;
  model?: string;
  device?: 'cpu' | 'cuda';
  batchSize?: string;
  augmentCopies?: string;
  seed?: string;
  onBadImage?: BadImagePolicy;
  progress?: boolean;
}

function positiveInt(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new ConfigError([{ path: flag, message: `must be an integer >= ${min}, got "${value}"` }]);
  return n;
}

/** The config with the command-line flags applied on top. */
export function applyExtractFlags(config: AffectzooConfig, o: ExtractOptions): AffectzooConfig {
  const backbone = o.backbone && o.backbone !== config.backbone.name ? { name: o.backbone, options: {} } : { ...config.backbone };
  if (o.model) backbone.options = { ...backbone.options, model: resolve(o.model) };
  const backend = o.backend && o.backend !== config.backend.name ? { name: o.backend, options: {} } : { ...config.backend };
  if (o.device) backend.options = { ...backend.options, device: o.device };
  return {
    ...config,
    backbone,
    backend,
    seed: positiveInt('--seed', o.seed, 0) ?? config.seed,
    data: { ...config.data, onBadImage: o.onBadImage ?? config.data.onBadImage },
    extract: {
      batchSize: positiveInt('--batch-size', o.batchSize, 1) ?? config.extract.batchSize,
      augmentCopies: positiveInt('--augment-copies', o.augmentCopies, 0) ?? config.extract.augmentCopies,
    },
  };
}

/** A progress bar with images/s and ETA; on a non-terminal (a log file) a line every 10 s instead. */
function progressBar(enabled: boolean) {
  if (!enabled) return { start: () => undefined, update: () => undefined, stop: () => undefined };
  const bar = createProgressBar('extract |{bar}| {percentage}% {value}/{total} images | {rate} img/s | ETA {eta_formatted}');
  let t0 = 0;
  let base = 0;
  return {
    start(total: number, done: number) {
      t0 = performance.now();
      base = done;
      bar.start(total, done, { rate: '-' });
    },
    update(done: number) {
      const s = (performance.now() - t0) / 1000;
      bar.update(done, { rate: s > 0 ? ((done - base) / s).toFixed(1) : '-' });
    },
    stop: () => bar.stop(),
  };
}

export async function runExtract(o: ExtractOptions): Promise<ExtractionResult> {
  const base = o.config ? dirname(resolve(o.config)) : process.cwd();
  const loaded = o.config ? await loadConfig(o.config) : defineConfig({});
  const config = applyExtractFlags(loaded, o);
  const data = o.data ? resolve(o.data) : config.data.train[0];
  if (!data) throw new ConfigError([{ path: '--data', message: 'no annotation file: pass --data or list one in data.train' }]);
  const out = o.out ? resolve(o.out) : join(config.data.features, basename(data, extname(data)));

  const registry = await buildRegistry(config, base);
  const backend = await registry.create('backend', config.backend, 'backend');
  const backbone = await registry.create('backbone', config.backbone, 'backbone');
  const extractor = await backbone.load(backend);
  console.error(`extract: ${backbone.name} (${extractor.featureSize}-d, ${extractor.input.width}x${extractor.input.height}) on ${backend.describe()}, batch ${config.extract.batchSize}${config.extract.augmentCopies ? `, ${config.extract.augmentCopies} augmented copies` : ''} -> ${out}`);

  const bar = progressBar(o.progress !== false);
  let started = false;
  const t0 = performance.now();
  try {
    const result = await runExtraction({
      annotations: data,
      out,
      extractor,
      backbone: { name: backbone.name, fingerprint: backbone.fingerprint },
      backend: backend.name,
      batchSize: config.extract.batchSize,
      augmentCopies: config.extract.augmentCopies,
      seed: config.seed,
      onBadImage: config.data.onBadImage,
      onResume: (done) => console.error(`extract: resuming, ${done} images already done`),
      onProgress: (done, total) => {
        if (started) bar.update(done);
        else bar.start(total, done);
        started = true;
      },
    });
    bar.stop();
    const s = (performance.now() - t0) / 1000;
    console.error(`extract: ${result.rows} rows x ${result.featureSize} in ${s.toFixed(1)} s; ${result.batchesRun} batches run, ${result.batchesResumed} resumed${result.skipped.length ? `; ${result.skipped.length} images skipped (listed in meta.json)` : ''}`);
    return result;
  } finally {
    bar.stop();
    await extractor.dispose();
    await backend.dispose();
  }
}
