import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, NUM_AUS } from '@affectzoo/core';
import {
  applyAuThresholds, asTfHead, calibrateValue, crossValidatedCalibration, encodeTensorFile, fitThreshold, HeadStack, loadModel,
  predictFeatures, register, saveModel, type ModelHead,
} from '../src/index.js';
import { writeFile } from 'node:fs/promises';
import { useCpu } from './helpers.js';

beforeAll(useCpu);

const registry = createRegistry();
register(registry);

async function multihead(): Promise<ModelHead[]> {
  const ref = { name: 'multihead', options: { hidden: 0 } };
  return [{ ref, plugin: asTfHead(await registry.create('head', ref)) }];
}

describe('AU calibration map', () => {
  it('matches hand-worked values: [0, t] -> [0, 0.5], [t, 1] -> [0.5, 1]', () => {
    expect(calibrateValue(0.2, 0.4)).toBeCloseTo(0.25, 6); // 0.5 * 0.2 / 0.4
    expect(calibrateValue(0.4, 0.4)).toBeCloseTo(0.5, 6);
    expect(calibrateValue(0.7, 0.4)).toBeCloseTo(0.75, 6); // 0.5 + 0.5 * 0.3 / 0.6
    expect(calibrateValue(0.9, 0.8)).toBeCloseTo(0.75, 6); // 0.5 + 0.5 * 0.1 / 0.2
    expect(calibrateValue(0.3, 0.5)).toBeCloseTo(0.3, 6); // t = 0.5 is the identity
    expect(calibrateValue(0, 0.3)).toBe(0);
    expect(calibrateValue(1, 0.3)).toBe(1);
    expect(calibrateValue(-0.2, 0.3)).toBe(0); // outside [0, 1] is clamped
    expect(calibrateValue(1.5, 0.3)).toBe(1);
  });

  it('is monotone, keeps [0, 1], and p >= t exactly when map(p) >= 0.5', () => {
    for (const t of [0.05, 0.2, 0.5, 0.73, 0.95]) {
      let last = -1;
      for (let i = 0; i <= 1000; i++) {
        const p = i / 1000;
        const m = calibrateValue(p, t);
        expect(m).toBeGreaterThanOrEqual(last);
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThanOrEqual(1);
        expect(m >= 0.5).toBe(p >= t);
        last = m;
      }
      expect(calibrateValue(t, t)).toBeCloseTo(0.5, 9);
    }
  });

  it('applies per-AU thresholds column by column', () => {
    const t = Array.from({ length: NUM_AUS }, (_, j) => (j === 0 ? 0.2 : 0.5));
    const aus = new Float32Array(2 * NUM_AUS).fill(0.3);
    applyAuThresholds(aus, t);
    expect(aus[0]).toBeCloseTo(0.5 + 0.5 * 0.1 / 0.8, 6);
    expect(aus[NUM_AUS]).toBeCloseTo(0.5 + 0.5 * 0.1 / 0.8, 6);
    expect(aus[1]).toBeCloseTo(0.3, 6);
  });
});

describe('threshold fitting', () => {
  it('picks the F1-best grid threshold, keeps 0.5 without positives', () => {
    // Positives score 0.3-0.4, negatives 0.1-0.2: any threshold in (0.2, 0.3] separates them; 0.25 and 0.3 are on the grid, 0.3 is nearer 0.5.
    const p = [0.1, 0.15, 0.2, 0.3, 0.35, 0.4];
    const y = [0, 0, 0, 1, 1, 1];
    expect(fitThreshold(p, y)).toBeCloseTo(0.3, 9);
    expect(fitThreshold(p, [0, 0, 0, 0, 0, null])).toBe(0.5);
  });

  it('cross-validates by group: a threshold that only one subject supports does not score in-sample', () => {
    // Two subjects; AU1 positives of subject A score 0.3 (needs t <= 0.3), subject B's 0.6.
    const rows = 8;
    const aus = new Float32Array(rows * NUM_AUS).fill(0.1);
    const labels: (number | null)[][] = [];
    const groups: string[] = [];
    for (let i = 0; i < rows; i++) {
      const a = i < 4;
      const positive = i % 2 === 0;
      aus[i * NUM_AUS] = positive ? (a ? 0.3 : 0.6) : 0.05;
      labels.push(Array.from({ length: NUM_AUS }, (_, j) => (j === 0 ? (positive ? 1 : 0) : 0)));
      groups.push(a ? 'A' : 'B');
    }
    const r = crossValidatedCalibration(aus, labels, groups);
    expect(r.groups).toBe(2);
    expect(r.perAuBefore[0]).toBeCloseTo(2 / 3, 6); // at 0.5: B's 2 hits, A's 2 misses: 2*2 / (2*2 + 0 + 2)
    expect(r.thresholds[0]).toBeLessThanOrEqual(0.3); // all frames: separable at 0.3
    expect(r.f1InSample).toBeGreaterThan(r.f1Before);
    // Held out, each subject is binarised with the other's thresholds: no better than in-sample.
    expect(r.f1CrossValidated).toBeLessThanOrEqual(r.f1InSample);
  });
});

describe('model file with AU thresholds', () => {
  it('round-trips the thresholds, and predictFeatures applies them (calibrated: false gives raw outputs)', async () => {
    const model = new HeadStack(await multihead(), 6, 1);
    const x = Float32Array.from({ length: 4 * 6 }, (_, i) => Math.sin(i));
    const raw = predictFeatures(model, x, 6).aus;
    const t = Array.from({ length: NUM_AUS }, (_, j) => 0.1 + 0.06 * j);
    model.auThresholds = t;
    const dir = await mkdtemp(join(tmpdir(), 'azcal-'));
    await saveModel(join(dir, 'model.azw'), model, null);
    model.dispose();
    const loaded = await loadModel(join(dir, 'model.azw'), registry);
    expect(loaded.meta.version).toBe(2);
    expect(loaded.model.auThresholds).toEqual(t);
    const cal = predictFeatures(loaded.model, x, 6).aus;
    const uncal = predictFeatures(loaded.model, x, 6, { calibrated: false }).aus;
    for (let i = 0; i < raw.length; i++) {
      expect(uncal[i]).toBeCloseTo(raw[i]!, 6);
      expect(cal[i]).toBeCloseTo(calibrateValue(raw[i]!, t[i % NUM_AUS]!), 6);
    }
    loaded.model.dispose();
  });

  it('still loads a version 1 file (no thresholds): outputs unchanged', async () => {
    const model = new HeadStack(await multihead(), 6, 2);
    const dir = await mkdtemp(join(tmpdir(), 'azcal-'));
    // A version 1 file as the previous release wrote it: meta without auThresholds.
    const meta = { format: 'affectzoo-heads', version: 1, inputSize: 6, heads: [{ name: 'multihead', options: { hidden: 0 } }], standardized: false };
    await writeFile(join(dir, 'model.azw'), encodeTensorFile(meta, model.snapshot()));
    const x = Float32Array.from({ length: 3 * 6 }, (_, i) => Math.cos(i));
    const before = predictFeatures(model, x, 6).aus;
    model.dispose();
    const loaded = await loadModel(join(dir, 'model.azw'), registry);
    expect(loaded.meta.version).toBe(1);
    expect(loaded.model.auThresholds).toBeNull();
    const after = predictFeatures(loaded.model, x, 6).aus;
    for (let i = 0; i < before.length; i++) expect(after[i]).toBeCloseTo(before[i]!, 6);
    loaded.model.dispose();
  });
});
