import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const HEADER = 'image,valence,arousal,expression,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26';

async function affectzoo(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

describe('affectzoo evaluate', () => {
  it('scores a small hand-made case as JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'az-eval-'));
    const labels = join(dir, 'labels.txt');
    const preds = join(dir, 'preds.txt');
    await writeFile(labels, [HEADER, 'a,0.5,0.5,0,1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', 'b,-0.5,-0.5,1,0,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', ''].join('\n'));
    await writeFile(preds, [HEADER, 'b,-0.5,-0.5,0,1,0,0,0,0,0,0,0,0,0,0,0', 'a,0.5,0.5,0,1,0,0,0,0,0,0,0,0,0,0,0', ''].join('\n'));
    const r = await affectzoo('evaluate', '--labels', labels, '--predictions', preds, '--json');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown> & { au_f1: number[]; ex_f1: number[]; counts: { au: number[] } };
    // AU1: labels 1,0, predictions 1,1 -> TP 1, FP 1 -> F1 2/3; the other AUs have no labels.
    expect(s.au_f1[0]).toBeCloseTo(2 / 3, 10);
    expect(s.P_AU).toBeCloseTo(2 / 3 / 12, 10);
    // expression: labels 0,1, predictions 0,0 -> class 0: 2/3, class 1: 0
    expect(s.ex_f1.slice(0, 2)).toEqual([2 / 3, 0]);
    expect(s.P_VA).toBeCloseTo(1, 10);
    expect(s.counts.au[0]).toBe(2);
    expect(Object.keys(s)).toEqual(['P_AU', 'P_EX', 'P_VA', 'P_MTL', 'au_f1', 'ex_f1', 'ccc_valence', 'ccc_arousal', 'counts']);
  });

  it('prints one clear line for a malformed file, not a stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'az-eval-'));
    const labels = join(dir, 'labels.txt');
    await writeFile(labels, [HEADER, 'a,0.5,0.5,9,1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1'].join('\n'));
    const r = await affectzoo('evaluate', '--labels', labels, '--predictions', labels);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`affectzoo: ${labels}:2: expression 9 is not a class index 0..7 nor the missing-label sentinel -1`);
  });

  it.skipIf(!existsSync(DATA))('gives P_EX = P_VA = 1 and P_AU = 0 for AffectNet against itself', async () => {
    const file = join(DATA, 'affectnet/dev.txt');
    const r = await affectzoo('evaluate', '--labels', file, '--predictions', file, '--json');
    const s = JSON.parse(r.stdout) as { P_AU: number; P_EX: number; P_VA: number; counts: { au: number[]; expression: number } };
    expect(s.P_EX).toBeCloseTo(1, 12);
    expect(s.P_VA).toBeCloseTo(1, 12);
    expect(s.P_AU).toBe(0);
    expect(s.counts.au).toEqual(new Array(12).fill(0));
    expect(s.counts.expression).toBe(1999);
  });
});

describe('affectzoo inspect', () => {
  it.skipIf(!existsSync(DATA))('prints label counts of a real file', async () => {
    const r = await affectzoo('inspect', join(DATA, 'ckplus/dev.txt'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/702 frames; VA 0, expression 702, AU 702/);
  });
});
