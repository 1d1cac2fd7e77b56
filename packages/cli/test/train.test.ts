// `affectzoo train`, `evaluate --config --checkpoint` and `predict-features` end to end on a tiny
// synthetic feature folder (TF.js cpu backend).
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encodeNpy, formatAnnotations, type FrameLabels } from '@affectzoo/core';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

async function affectzoo(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args]);
  return stdout;
}

/** 120 frames, 8 features; AU j = (x_j > 0), expression = argmax, VA = x_0, x_1 (each task on a third of the frames). */
async function syntheticFolder(dir: string): Promise<void> {
  const n = 120;
  const d = 8;
  const features = new Float32Array(n * d);
  let s = 1;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const rows: FrameLabels[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) features[i * d + j] = rand();
    const x = features.subarray(i * d, i * d + d);
    const k = i % 3;
    rows.push({
      image: `img${i}.png`,
      valence: k === 2 ? x[0]! * 0.9 : null, arousal: k === 2 ? x[1]! * 0.9 : null,
      expression: k === 1 ? x.indexOf(Math.max(...x)) : null,
      aus: k === 0 ? Array.from({ length: 12 }, (_, j) => (x[j % d]! > 0 ? 1 : 0)) : new Array<null>(12).fill(null),
    });
  }
  const fdir = join(dir, 'features', 'all');
  await mkdir(fdir, { recursive: true });
  await writeFile(join(fdir, 'features.npy'), encodeNpy(features, [n, d]));
  await writeFile(join(fdir, 'index.csv'), formatAnnotations(rows));
  await writeFile(join(fdir, 'meta.json'), JSON.stringify({ version: 1, annotations: join(dir, 'all.txt'), backbone: 'synthetic', fingerprint: '', backend: 'none', featureSize: d, rows: n, augmentCopies: 0, seed: 0, skipped: [] }));
  await writeFile(join(dir, 'train.txt'), formatAnnotations(rows.slice(0, 90)));
  await writeFile(join(dir, 'val.txt'), formatAnnotations(rows.slice(90)));
}

describe('affectzoo train / evaluate --checkpoint / predict-features', () => {
  it('trains from a config, scores the checkpoint and writes a submission file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'az-train-'));
    await syntheticFolder(dir);
    await writeFile(join(dir, 'config.yaml'), [
      'backend: { name: cpu }',
      'heads: [{ name: multihead, options: { hidden: 0 } }]',
      'optimizer: { name: adamw }',
      'data: { train: [train.txt], val: [val.txt], features: features }',
      'train: { schedule: joint, steps: 40, evalEvery: 20, batchSize: 32, lr: 0.01, standardize: true, out: out }',
    ].join('\n'));
    const trained = JSON.parse(await affectzoo('train', '--config', join(dir, 'config.yaml'), '--json')) as { scores: Record<string, { P_AU: number; P_MTL: number }> };
    const fromTraining = trained.scores[`${dir.split('/').pop()}/val.txt`]!;
    expect(fromTraining.P_AU).toBeGreaterThan(0.5);
    const metrics = JSON.parse(await readFile(join(dir, 'out', 'metrics.json'), 'utf8')) as { backend?: string };
    expect(metrics.backend).toMatch(/^tfjs [0-9.]+ cpu/); // what the figures were computed on

    const evaluated = JSON.parse(await affectzoo('evaluate', '--config', join(dir, 'config.yaml'), '--checkpoint', join(dir, 'out'), '--json')) as Record<string, { P_MTL: number }>;
    expect(Object.values(evaluated)[0]!.P_MTL).toBeCloseTo(fromTraining.P_MTL, 6);

    const preds = join(dir, 'preds.txt');
    await affectzoo('predict-features', '--checkpoint', join(dir, 'out'), '--features', join(dir, 'features', 'all'), '--out', preds);
    const lines = (await readFile(preds, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(121);
    expect(lines[0]).toBe('image,valence,arousal,expression,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26');
    expect(lines[1]!.split(',').slice(4).every((a) => a === '0' || a === '1')).toBe(true);
  }, 60_000);
});
