import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry, type ComponentRef } from '@affectzoo/core';
import { register as registerOptimizers, asTfOptimizer } from '@affectzoo/optim-sam';
import { asTfHead, HeadStack, loadModel, predictFeatures, register, trainHeads, type TfLossPlugin, type TrainOptions, type TrainSettings } from '../src/index.js';
import { synthetic } from './synthetic.js';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

const registry = createRegistry();
register(registry);
registerOptimizers(registry);

const MTCAN: ComponentRef[] = [
  { name: 'anfl', options: { hiddenSize: 8, k: 4, dropout: 0.2 } },
  { name: 'expression', options: { attentionSize: 8 } },
  { name: 'va', options: {} },
];
const LOSSES: ComponentRef[] = [{ name: 'au-weighted-asymmetric' }, { name: 'cross-entropy' }, { name: 'ccc' }];

async function options(heads: ComponentRef[], optimizer: ComponentRef, settings: Partial<TrainSettings>, extra: Partial<TrainOptions> = {}): Promise<TrainOptions> {
  const train = synthetic(240, 16, 1);
  const val = { name: 'val', ...synthetic(90, 16, 2) };
  return {
    heads: await Promise.all(heads.map(async (ref) => ({ ref, plugin: asTfHead(await registry.create('head', ref)) }))),
    losses: await Promise.all(LOSSES.map(async (ref) => ({ plugin: await registry.create('loss', ref) as TfLossPlugin, weight: 1 }))),
    optimizer: asTfOptimizer(await registry.create('optimizer', optimizer)),
    settings: { schedule: 'staged', epochs: 2, batchSize: 32, lr: 0.01, lrSchedule: 'constant', weightDecay: 1 / 256, standardize: true, ...settings },
    seed: 3, train, val: [val], ...extra,
  };
}

describe('trainer', () => {
  it('staged MT-CAN with SAM learns the synthetic tasks, and keeps numTensors flat across validations', async () => {
    const counts: number[] = [];
    const stages: string[] = [];
    const opts = await options(MTCAN, { name: 'sam', options: { rho: 0.05 } }, { steps: 60, evalEvery: 15, lr: 0.05 }, {
      onEvent: (e) => {
        if (e.type === 'eval') counts.push(tf.memory().numTensors);
        if (e.type === 'stage') stages.push(e.stage);
      },
    });
    const result = await trainHeads(opts);
    expect(stages).toEqual(['au', 'expression', 'va']);
    // Within a stage the tensor count is the same at every validation.
    for (let s = 0; s < 3; s++) expect(new Set(counts.slice(s * 4, s * 4 + 4)).size).toBe(1);
    const val = result.scores.val!;
    expect(val.P_AU).toBeGreaterThan(0.6);
    expect(val.P_VA).toBeGreaterThan(0.3);
    expect(result.stages.every((s) => s.bestStep > 0)).toBe(true);
    result.model.dispose();
  }, 90_000);

  it('is deterministic: same config and seed, same metrics (and stageSteps sets a stage\'s length)', async () => {
    const run = async () => {
      const r = await trainHeads(await options(MTCAN, { name: 'adamw' }, { steps: 12, stageSteps: { va: 6 }, evalEvery: 6, lrSchedule: 'cosine' }));
      r.model.dispose();
      expect(r.stages.map((s) => s.steps)).toEqual([12, 12, 6]);
      return r.scores.val!;
    };
    const a = await run();
    const b = await run();
    expect(b.P_MTL).toBe(a.P_MTL);
    expect(b.au_f1).toEqual(a.au_f1);
  });

  it('a frozen head keeps its weights and batch-norm statistics through the later stages', async () => {
    const auOnly = await options(MTCAN, { name: 'sam' }, { steps: 6, evalEvery: 3 });
    auOnly.losses = auOnly.losses.filter((l) => l.plugin.task === 'au');
    const a = await trainHeads(auOnly);
    const b = await trainHeads(await options(MTCAN, { name: 'sam' }, { steps: 6, evalEvery: 3 }));
    expect(a.stages.map((s) => s.task)).toEqual(['au']);
    expect(b.stages.map((s) => s.task)).toEqual(['au', 'expression', 'va']);
    const anfl = (r: typeof a) => r.model.named([0]).map(({ name, variable }) => [name, [...variable.dataSync()]]);
    expect(anfl(b)).toEqual(anfl(a)); // running_mean / running_var included
    a.model.dispose();
    b.model.dispose();
  }, 90_000);

  it('a staged multi-head: the later stages leave the AU branch as the AU stage left it (no weight decay drift)', async () => {
    const multi: ComponentRef[] = [{ name: 'multihead', options: { hidden: 4 } }];
    const auOnly = await options(multi, { name: 'adamw' }, { steps: 6, evalEvery: 3, weightDecay: 0.1 });
    auOnly.losses = auOnly.losses.filter((l) => l.plugin.task === 'au');
    const a = await trainHeads(auOnly);
    const b = await trainHeads(await options(multi, { name: 'adamw' }, { steps: 6, evalEvery: 3, weightDecay: 0.1 }));
    expect(b.stages.map((s) => s.task)).toEqual(['au', 'expression', 'va']);
    const branch = (r: typeof a, task: string) => r.model.named([0]).filter(({ name }) => name.includes(`/${task}/`)).map(({ name, variable }) => [name, [...variable.dataSync()]]);
    expect(branch(a, 'au').length).toBeGreaterThan(0);
    expect(branch(b, 'au')).toEqual(branch(a, 'au'));
    expect(branch(b, 'expression')).not.toEqual(branch(a, 'expression')); // the expression stage did train
    a.model.dispose();
    b.model.dispose();
  }, 90_000);

  it('a stage asks a multi-task head only for the outputs the heads that run read (multihead + fusion)', async () => {
    const refs: ComponentRef[] = [{ name: 'multihead', options: { hidden: 4 } }, { name: 'fusion' }];
    const model = new HeadStack(await Promise.all(refs.map(async (ref) => ({ ref, plugin: asTfHead(await registry.create('head', ref)) }))), 16, 0);
    // The fusion head answers expressions: it trains (and reads AU outputs) only in that stage.
    expect([...model.wantedFor('au')!]).toEqual(['au']);
    expect([...model.wantedFor('va')!]).toEqual(['va']);
    expect(new Set(model.wantedFor('expression'))).toEqual(new Set(['expression', 'au']));
    expect(model.wantedFor('joint')).toBeNull();
    model.dispose();
  });

  it('joint schedule trains the multi-head baseline with masked losses', async () => {
    const r = await trainHeads(await options([{ name: 'multihead', options: { hidden: 0 } }], { name: 'sgd', options: { momentum: 0.9 } }, { schedule: 'joint', epochs: 20, lr: 0.05 }));
    expect(r.stages.map((s) => s.task)).toEqual(['joint']);
    expect(r.scores.val!.P_AU).toBeGreaterThan(0.6);
    r.model.dispose();
  });

  it('a killed run resumed from its checkpoint ends where an uninterrupted run ends; the model file reloads', async () => {
    const settings = { steps: 12, evalEvery: 4 };
    const full = await trainHeads(await options(MTCAN, { name: 'sam' }, settings));
    const out = await mkdtemp(join(tmpdir(), 'azt-'));
    const killed = await trainHeads(await options(MTCAN, { name: 'sam' }, settings, { out, stopAfter: 16 }));
    expect(killed.finished).toBe(false);
    killed.model.dispose();
    expect(await readdir(out)).toEqual(['resume.azw']);
    const resumed = await trainHeads(await options(MTCAN, { name: 'sam' }, settings, { out, resume: true }));
    expect(resumed.finished).toBe(true);
    expect(resumed.scores.val!.P_MTL).toBeCloseTo(full.scores.val!.P_MTL, 6);
    const loaded = await loadModel(join(out, 'model.azw'), registry);
    const val = synthetic(90, 16, 2);
    const direct = predictFeatures(resumed.model, val.features.map((v, i) => (v - resumed.standardizer!.mean[i % 16]!) / resumed.standardizer!.std[i % 16]!), 16);
    const again = predictFeatures(loaded.model, val.features.map((v, i) => (v - loaded.standardizer!.mean[i % 16]!) / loaded.standardizer!.std[i % 16]!), 16);
    expect([...again.aus]).toEqual([...direct.aus]);
    for (const m of [full.model, resumed.model, loaded.model]) m.dispose();
  }, 90_000);
});
