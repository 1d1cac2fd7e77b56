/**
 * The trainer over cached features.
 *
 * - `staged` (the competition schedule): AU, then expression, then VA; each stage trains only the
 *   heads of its task on the frames labelled for it, with only its losses, the other heads frozen
 *   (run at inference, so their batch-norm statistics stay put). The best validation checkpoint
 *   of each stage is restored before the next, so the final model is the stitched best of each
 *   task. The first validation always counts as the best so far, so every stage keeps one.
 * - `joint`: every head and loss at once on all frames, masked per task; best by the sum of the
 *   task scores.
 *
 * A stage runs `steps` optimizer steps (or `epochs` passes over its frames), validating every
 * `evalEvery` steps; after each validation the run state is written atomically to
 * `<out>/resume.azw`, from which `resume` continues a killed run with the same result.
 */
import { mkdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { abawScores, writeFileAtomic, type AbawScores, type HeadTask } from '@affectzoo/core';
import type { StepOptimizer, TfOptimizerPlugin } from '@affectzoo/optim-sam';
import { ForwardContext, applyBatchStats, type BatchStats } from '../layers/context.js';
import { batchLabels, type BatchLabels, type TfLoss } from '../losses/losses.js';
import type { TfLossPlugin } from '../plugins.js';
import { HeadStack, type ModelHead } from './model.js';
import { applyStandardizer, fitStandardizer, predictFeatures, type FeatureRows, type Standardizer } from './data.js';
import { hasLabel, learningRate, Sampler, type SamplerState, type StageTask } from './schedule.js';
import { readTensorFile, writeTensorFile, type NamedArray } from './tensor-file.js';
import { saveModel } from './model-file.js';

export interface TrainSettings {
  schedule: 'staged' | 'joint';
  epochs: number;
  steps?: number | undefined;
  stageSteps?: { au?: number | undefined; expression?: number | undefined; va?: number | undefined } | undefined;
  batchSize: number;
  lr: number;
  lrSchedule: 'constant' | 'cosine';
  weightDecay: number;
  standardize: boolean;
  evalEvery?: number | undefined;
}

export interface ValidationSet extends FeatureRows {
  name: string;
}

export interface TrainLoss {
  plugin: TfLossPlugin;
  weight: number;
}

export type TrainEvent =
  | { type: 'stage'; stage: StageTask; index: number; stages: number; steps: number; rows: number }
  | { type: 'step'; stage: StageTask; step: number; steps: number; loss: number }
  | { type: 'eval'; stage: StageTask; step: number; steps: number; loss: number; metric: number; best: number; scores: Record<string, AbawScores> };

export interface TrainOptions {
  heads: readonly ModelHead[];
  losses: readonly TrainLoss[];
  optimizer: TfOptimizerPlugin;
  settings: TrainSettings;
  seed: number;
  train: FeatureRows;
  val: readonly ValidationSet[];
  /** Folder for `resume.azw`, `model.azw` and `metrics.json`; none: nothing written. */
  out?: string;
  /** Continue from `<out>/resume.azw` when it exists. */
  resume?: boolean;
  onEvent?: (e: TrainEvent) => void;
  /** Stop after this many optimizer steps in total (tests of `resume` simulate a kill with it). */
  stopAfter?: number;
  /**
   * `[train rows, 8]` expression targets replacing the one-hot labels (soft labels; see
   * soft-labels.ts). The class-weighted cross-entropy then weights each frame by its target's
   * expected class weight.
   */
  expressionTargets?: Float32Array;
  /**
   * What the run computed on (a backend's description), recorded in metrics.json: the same config
   * and data give the same bytes on the same backend and CPU, but OpenBLAS picks its kernels per
   * CPU and the native tanh differs from wasm's in the last bits.
   */
  backend?: string;
}

export interface StageResult {
  task: StageTask;
  steps: number;
  bestMetric: number;
  bestStep: number;
}

export interface TrainResult {
  model: HeadStack;
  standardizer: Standardizer | null;
  stages: StageResult[];
  /** Scores of the final (stitched) model on each validation set. */
  scores: Record<string, AbawScores>;
  seconds: number;
  /** Training samples per second (forward + backward + update; validation excluded). */
  samplesPerSecond: number;
  /** False when `stopAfter` ended the run early. */
  finished: boolean;
}

interface ResumeMeta {
  stage: number;
  step: number;
  bestMetric: number;
  bestStep: number;
  sampler: SamplerState;
  stages: StageResult[];
  trainSeconds: number;
  samples: number;
}

const TASK_OF_LOSS: Record<StageTask, (l: TrainLoss) => boolean> = {
  au: (l) => l.plugin.task === 'au',
  expression: (l) => l.plugin.task === 'expression',
  va: (l) => l.plugin.task === 'va',
  joint: () => true,
};

/** The validation metric a stage selects its best checkpoint by: its task's score, averaged over the sets that carry the task. */
export function stageMetric(task: StageTask, scores: Record<string, AbawScores>): number {
  const sets = Object.values(scores);
  const mean = (pick: (s: AbawScores) => number, has: (s: AbawScores) => boolean) => {
    const with_ = sets.filter(has);
    return with_.length ? with_.reduce((a, s) => a + pick(s), 0) / with_.length : 0;
  };
  const au = mean((s) => s.P_AU, (s) => s.counts.au.some((c) => c > 0));
  const ex = mean((s) => s.P_EX, (s) => s.counts.expression > 0);
  const va = mean((s) => s.P_VA, (s) => s.counts.va > 0);
  return task === 'au' ? au : task === 'expression' ? ex : task === 'va' ? va : au + ex + va;
}

function stageTasks(opts: TrainOptions, model: HeadStack): StageTask[] {
  if (opts.settings.schedule === 'joint') return ['joint'];
  return (['au', 'expression', 'va'] as const).filter((t) =>
    model.headsFor(t).length > 0 && opts.losses.some(TASK_OF_LOSS[t]) && opts.train.rows.some((r) => hasLabel(r, t)));
}

export function evaluate(model: HeadStack, val: readonly ValidationSet[], std: Standardizer | null): Record<string, AbawScores> {
  const scores: Record<string, AbawScores> = {};
  for (const v of val) scores[v.name] = abawScores(v.rows, predictFeatures(model, applyStandardizer(v.features, v.dim, std), v.dim));
  return scores;
}

/** Train the heads; the returned model is the caller's to dispose. */
export async function trainHeads(opts: TrainOptions): Promise<TrainResult> {
  const { settings } = opts;
  const dim = opts.train.dim;
  const std = settings.standardize ? fitStandardizer(opts.train) : null;
  const train = applyStandardizer(opts.train.features, dim, std);
  const val = opts.val; // raw features: `evaluate` standardises them
  const model = new HeadStack(opts.heads, dim, opts.seed);
  const stages = stageTasks(opts, model);
  if (stages.length === 0) throw new Error('nothing to train: no stage has a head, a loss and labelled training frames');
  const losses = opts.losses.map((l) => ({ task: l.plugin.task, weight: l.weight, fn: l.plugin.prepare(opts.train.rows) }));

  // Features and labels stay in JavaScript arrays; a step copies its batch rows into new tensors.
  const xAll: RowTable = { data: train, shape: [opts.train.rows.length, dim] };
  const labels = batchLabels(opts.train.rows);
  const yAll = Object.fromEntries(Object.entries(labels).map(([k, t]) => [k, { data: t.dataSync() as Float32Array, shape: t.shape }])) as Record<keyof BatchLabels, RowTable>;
  tf.dispose(Object.values(labels));
  if (opts.expressionTargets) {
    if (opts.expressionTargets.length !== yAll.expression.data.length) throw new Error(`expressionTargets has ${opts.expressionTargets.length} values, the training rows need ${yAll.expression.data.length}`);
    yAll.expression = { data: opts.expressionTargets, shape: yAll.expression.shape };
  }
  const resumeFile = opts.out ? join(opts.out, 'resume.azw') : null;
  if (opts.out) await mkdir(opts.out, { recursive: true });

  let resume: { meta: ResumeMeta; tensors: Map<string, NamedArray> } | null = null;
  if (opts.resume && resumeFile && existsSync(resumeFile)) {
    resume = await readTensorFile<ResumeMeta>(resumeFile);
    model.load(resume.tensors, undefined, 'model/');
  }
  const results: StageResult[] = resume ? resume.meta.stages : [];
  let trainSeconds = resume?.meta.trainSeconds ?? 0;
  let samples = resume?.meta.samples ?? 0;
  let totalSteps = 0;
  let finished = true;

  for (let s = resume?.meta.stage ?? 0; s < stages.length && finished; s++) {
    const task = stages[s]!;
    const heads = new Set(model.headsFor(task));
    const wanted = model.wantedFor(task);
    const rows = opts.train.rows.flatMap((r, i) => (hasLabel(r, task) ? [i] : []));
    const batch = Math.min(settings.batchSize, rows.length);
    const epochSteps = Math.ceil(rows.length / batch);
    const steps = (task === 'joint' ? undefined : settings.stageSteps?.[task]) ?? settings.steps ?? settings.epochs * epochSteps;
    const evalEvery = settings.evalEvery ?? epochSteps;
    const stageLosses = losses.filter((l) => task === 'joint' || l.task === task);
    const vars = model.trainableVariables(heads);
    const optimizer = opts.optimizer.create({ learningRate: settings.lr, weightDecay: settings.weightDecay });
    optimizer.prepare(vars);
    const sampler = new Sampler(rows, opts.seed * 7 + s);
    let step = 0;
    let best = { metric: -Infinity, step: -1, weights: [] as NamedArray[] };
    if (resume && resume.meta.stage === s) {
      step = resume.meta.step;
      sampler.setState(resume.meta.sampler);
      loadSlots(optimizer, resume.tensors);
      best = { metric: resume.meta.bestMetric, step: resume.meta.bestStep, weights: [...resume.tensors.values()].filter((t) => t.name.startsWith('best/')).map((t) => ({ ...t, name: t.name.slice(5) })) };
    }
    opts.onEvent?.({ type: 'stage', stage: task, index: s, stages: stages.length, steps, rows: rows.length });
    let running = 0;
    let runningCount = 0;
    try {
      while (step < steps) {
        if (opts.stopAfter !== undefined && totalSteps >= opts.stopAfter) {
          finished = false;
          break;
        }
        optimizer.setLearningRate(learningRate(settings.lr, settings.lrSchedule, step, steps));
        const started = performance.now();
        const loss = trainStep(model, optimizer, vars, heads, wanted, stageLosses, xAll, yAll, sampler.next(batch), opts.seed * 1_000_003 + s * 100_003 + step);
        trainSeconds += (performance.now() - started) / 1000;
        samples += batch;
        step++;
        totalSteps++;
        running += loss;
        runningCount++;
        opts.onEvent?.({ type: 'step', stage: task, step, steps, loss: running / runningCount });
        if (step % evalEvery === 0 || step === steps) {
          const scores = evaluate(model, val, std);
          const metric = stageMetric(task, scores);
          if (metric > best.metric) best = { metric, step, weights: model.snapshot(heads) };
          opts.onEvent?.({ type: 'eval', stage: task, step, steps, loss: running / runningCount, metric, best: best.metric, scores });
          running = 0;
          runningCount = 0;
          if (resumeFile) {
            const meta: ResumeMeta = { stage: s, step, bestMetric: best.metric, bestStep: best.step, sampler: sampler.getState(), stages: results, trainSeconds, samples };
            await writeTensorFile(resumeFile, meta, [
              ...model.snapshot().map((t) => ({ ...t, name: `model/${t.name}` })),
              ...best.weights.map((t) => ({ ...t, name: `best/${t.name}` })),
              ...optimizer.slots().map(({ name, variable }) => ({ name: `opt/${name}`, shape: variable.shape, data: Float32Array.from(variable.dataSync()) })),
            ]);
          }
        }
      }
    } finally {
      optimizer.dispose();
    }
    if (!finished) break;
    // Stitch: this stage's heads go back to their best validation checkpoint.
    if (best.weights.length) model.load(new Map(best.weights.map((w) => [w.name, w])), heads);
    results.push({ task, steps, bestMetric: best.metric, bestStep: best.step });
    resume = null;
  }

  const scores = evaluate(model, val, std);
  const samplesPerSecond = samples / Math.max(trainSeconds, 1e-9);
  if (opts.out && finished) {
    await saveModel(join(opts.out, 'model.azw'), model, std);
    await writeFileAtomic(join(opts.out, 'metrics.json'), JSON.stringify({ stages: results, scores, trainSeconds, samplesPerSecond, ...(opts.backend ? { backend: opts.backend } : {}) }, null, 2) + '\n');
  }
  return { model, standardizer: std, stages: results, scores, seconds: trainSeconds, samplesPerSecond, finished };
}

function loadSlots(optimizer: StepOptimizer, tensors: ReadonlyMap<string, NamedArray>): void {
  for (const { name, variable } of optimizer.slots()) {
    const t = tensors.get(`opt/${name}`);
    if (t) tf.tidy(() => variable.assign(tf.tensor(t.data, variable.shape)));
  }
}

/** A row-major table of training data (features or one label array), first dimension the rows. */
interface RowTable {
  data: Float32Array;
  shape: number[];
}

/**
 * The given rows as a new tensor. Copied in JavaScript rather than by tf.gather: TF.js wasm's
 * Gather walks every element through generic index arithmetic, ~8 ms for a 256 x 1288 batch,
 * which was a third of a multi-head training step.
 */
function takeRows(table: RowTable, index: Int32Array): tf.Tensor {
  const width = table.data.length / table.shape[0]!;
  const out = new Float32Array(index.length * width);
  index.forEach((row, i) => out.set(table.data.subarray(row * width, (row + 1) * width), i * width));
  return tf.tensor(out, [index.length, ...table.shape.slice(1)]);
}

/** One optimizer step on one batch; returns the batch loss. Every tensor it makes is freed. */
function trainStep(
  model: HeadStack, optimizer: StepOptimizer, vars: tf.Variable[], heads: ReadonlySet<number>, wanted: ReadonlySet<HeadTask> | null,
  losses: { weight: number; fn: TfLoss }[], xAll: RowTable, yAll: Record<keyof BatchLabels, RowTable>, index: Int32Array, seed: number,
): number {
  const x = takeRows(xAll, index) as tf.Tensor2D;
  const y = Object.fromEntries(Object.entries(yAll).map(([k, t]) => [k, takeRows(t, index)])) as unknown as BatchLabels;
  const stats: BatchStats[] = [];
  const loss = optimizer.step((pass) => tf.tidy(() => {
    // Batch statistics are collected on pass 0 only: SAM's second pass must not move them.
    const ctx = new ForwardContext(true, seed, pass === 0 ? stats : null, wanted);
    const out = model.forward(x, ctx, heads);
    return tf.addN(losses.map((l) => tf.mul(l.fn(out, y), l.weight))) as tf.Scalar;
  }), vars);
  applyBatchStats(stats);
  const value = loss.dataSync()[0]!;
  tf.dispose([loss, x, ...Object.values(y)]);
  return value;
}
