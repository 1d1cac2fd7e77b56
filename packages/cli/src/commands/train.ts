/**
 * `affectzoo train --config <file>`: train the config's heads on cached features, with a progress
 * bar (running loss; validation scores after each evaluation), checkpoints in `train.out`, and
 * `--resume` to continue a killed run.
 */
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, imagePath, loadConfig, validateComponents, type AffectzooConfig, type FrameLabels } from '@affectzoo/core';
import {
  concatRows, createHeads, createLosses, createOptimizer, expressionTargets, featureRowsFor, loadFeatureIndex, readVoteTargets, trainHeads,
  type FeatureRows, type TrainEvent, type TrainLoss, type TrainResult, type ValidationSet,
} from '@affectzoo/heads';
import { buildRegistry } from '../registry.js';
import { createProgressBar } from '../progress.js';
import { useTrainingBackend } from './training-backend.js';

export interface TrainCommandOptions {
  config: string;
  resume?: boolean;
  out?: string;
  quiet?: boolean;
  json?: boolean;
}

const f = (x: number) => x.toFixed(3);

/**
 * Training and validation features of a config's data section. When the config asks for augmented
 * copies (`extract.augmentCopies`), training rows also use the copies the feature folders hold
 * (sets extracted without them train on their plain features); validation never does.
 */
export async function configData(config: AffectzooConfig): Promise<{ train: FeatureRows; trainImages: string[]; val: ValidationSet[] }> {
  if (config.data.train.length === 0) throw new ConfigError([{ path: 'data.train', message: 'no training annotation files' }]);
  const index = await loadFeatureIndex(config.data.features);
  const parts = await Promise.all(config.data.train.map((file) => featureRowsFor(file, index, config.extract.augmentCopies)));
  const train = concatRows(parts);
  const trainImages = parts.flatMap((p) => p.rows.map((r) => imagePath({ file: p.file }, r)));
  const val = await Promise.all(config.data.val.map(async (file) => ({ name: setName(file), ...(await featureRowsFor(file, index)) })));
  return { train, trainImages, val };
}

/**
 * Soft expression targets when an expression loss lists vote files (`softLabels`, relative to the
 * config file); null when none does.
 */
async function softTargets(configFile: string, losses: readonly TrainLoss[], train: FeatureRows, images: readonly string[]): Promise<{ targets: Float32Array; soft: number } | null> {
  const files = losses.flatMap((l) => l.plugin.softLabels ?? []).map((f) => resolve(dirname(resolve(configFile)), f));
  if (files.length === 0) return null;
  const votes = await readVoteTargets(files);
  const at = new Map<FrameLabels, number>(train.rows.map((r, i) => [r, i]));
  return expressionTargets(train.rows, votes, (r) => images[at.get(r)!]!);
}

/** A short name for a validation file: its folder and file name (`ferplus/valid.txt`). */
export function setName(file: string): string {
  return `${basename(dirname(file))}/${basename(file)}`;
}

function progressPrinter(quiet: boolean): { onEvent: (e: TrainEvent) => void; stop: () => void } {
  // Without a terminal the validation lines below are the log, so the bar stays silent there.
  const bar = createProgressBar('{stage} [{bar}] {value}/{total} steps | loss {loss} | {scores}', { noTTYOutput: false, clearOnComplete: false });
  let active = false;
  const onEvent = (e: TrainEvent) => {
    if (quiet) return;
    if (e.type === 'stage') {
      if (active) bar.stop();
      console.log(`stage ${e.index + 1}/${e.stages}: ${e.stage} (${e.rows} labelled frames, ${e.steps} steps)`);
      bar.start(e.steps, 0, { stage: e.stage, loss: '-', scores: '' });
      active = true;
    } else if (e.type === 'step') {
      bar.update(e.step, { loss: f(e.loss) });
    } else {
      const scores = Object.entries(e.scores).map(([n, s]) => `${n} AU ${f(s.P_AU)} EX ${f(s.P_EX)} VA ${f(s.P_VA)}`).join('; ');
      const line = `val ${f(e.metric)} (best ${f(e.best)}) ${scores}`;
      bar.update(e.step, { loss: f(e.loss), scores: line });
      // cli-progress draws nothing without a terminal: a log still gets one line per validation.
      if (!process.stderr.isTTY) console.log(`${e.stage} step ${e.step}/${e.steps} loss ${f(e.loss)} ${line}`);
    }
  };
  return { onEvent, stop: () => { if (active) bar.stop(); } };
}

export function formatTrainResult(r: TrainResult): string {
  const lines = r.stages.map((s) => `${s.task}: best validation ${f(s.bestMetric)} at step ${s.bestStep} of ${s.steps}`);
  for (const [name, s] of Object.entries(r.scores)) lines.push(`${name}: P_AU ${f(s.P_AU)} P_EX ${f(s.P_EX)} P_VA ${f(s.P_VA)} (AU n=${Math.max(0, ...s.counts.au)}, EX n=${s.counts.expression}, VA n=${s.counts.va})`);
  lines.push(`training ${r.seconds.toFixed(1)} s, ${r.samplesPerSecond.toFixed(0)} samples/s`);
  return lines.join('\n');
}

export async function runTrain(o: TrainCommandOptions): Promise<void> {
  const config = await loadConfig(o.config);
  const registry = await buildRegistry(config, dirname(o.config));
  validateComponents(config, registry, o.config);
  const backend = await useTrainingBackend(config, registry);
  const { train, trainImages, val } = await configData(config);
  const losses = await createLosses(config, registry);
  const soft = await softTargets(o.config, losses, train, trainImages);
  const out = o.out ?? config.train.out;
  const progress = progressPrinter(o.quiet === true || o.json === true);
  if (!o.quiet && !o.json) console.log(`${train.rows.length} training frames x ${train.dim} features on ${backend}; writing ${out}${soft ? `; ${soft.soft} frames with soft expression labels` : ''}`);
  let result: TrainResult;
  try {
    result = await trainHeads({
      heads: await createHeads(config, registry), losses, optimizer: await createOptimizer(config, registry),
      settings: config.train, seed: config.seed, train, val, out, resume: o.resume === true, onEvent: progress.onEvent, backend,
      ...(soft ? { expressionTargets: soft.targets } : {}),
    });
  } finally {
    progress.stop();
  }
  result.model.dispose();
  console.log(o.json ? JSON.stringify({ stages: result.stages, scores: result.scores, seconds: result.seconds, samplesPerSecond: result.samplesPerSecond }) : formatTrainResult(result));
}
