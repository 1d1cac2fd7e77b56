import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  formatAnnotations, InputError, labelStats, parseAnnotations, parsePredictions, readAnnotations, writeAnnotations,
} from '../src/index.js';

const HEADER = 'image,valence,arousal,expression,AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26';
const row = (image: string, rest: string) => `${image},${rest}`;

function errorOf(run: () => unknown): InputError {
  try {
    run();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

describe('parseAnnotations', () => {
  const text = [
    HEADER,
    row('a.jpg', '0.5,-0.25,4,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1'),
    row('b.jpg', '-5,-5,-1,1,0,0,1,0,0,1,0,0,0,1,0'),
    '',
  ].join('\n');

  it('keeps labels and turns sentinels into null', () => {
    const rows = parseAnnotations(text, 'x.txt');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ image: 'a.jpg', valence: 0.5, arousal: -0.25, expression: 4, aus: new Array(12).fill(null) });
    expect(rows[1]!.valence).toBeNull();
    expect(rows[1]!.expression).toBeNull();
    expect(rows[1]!.aus).toEqual([1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]);
  });

  it('round-trips through the writer', () => {
    expect(parseAnnotations(formatAnnotations(parseAnnotations(text, 'x')), 'y')).toEqual(parseAnnotations(text, 'x'));
  });

  it.each([
    ['expression 9', '0,0,9,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', /expression 9 is not a class index 0\.\.7/],
    ['valence 3.2', '3.2,0,1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', /valence 3\.2 is outside \[-1, 1\]/],
    ['AU 2', '0,0,1,2,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', /AU1 2 is not 0, 1/],
    ['a non-number', '0,zero,1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', /arousal: "zero" is not a number/],
    ['a short line', '0,0,1', /expected 16 comma-separated columns, found 4/],
    ['half a VA label', '0.1,-5,1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', /both labelled or both missing/],
    ['an expression 1.5', '0,0,1.5,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1', /expression 1\.5/],
  ])('rejects %s with file and line', (_name, cells, message) => {
    const e = errorOf(() => parseAnnotations([HEADER, row('ok.jpg', '0,0,0,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1'), row('bad.jpg', cells)].join('\n'), 'labels.txt'));
    expect(e.file).toBe('labels.txt');
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/^labels\.txt:3: /);
    expect(e.message).toMatch(message);
  });

  it('rejects a wrong header on line 1', () => {
    const e = errorOf(() => parseAnnotations('image,valence\nx,1', 'h.txt'));
    expect(e.message).toMatch(/^h\.txt:1: expected the header/);
  });
});

describe('labelStats', () => {
  it('counts labelled frames per task and AU positive rates', () => {
    const rows = parseAnnotations([
      HEADER,
      row('a', '0.1,0.2,0,1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1'),
      row('b', '-5,-5,0,0,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1'),
      row('c', '-5,-5,3,1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1'),
      row('d', '-5,-5,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1'),
    ].join('\n'), 'x');
    const s = labelStats(rows);
    expect(s.frames).toBe(4);
    expect(s.va).toBe(1);
    expect(s.expression).toBe(3);
    expect(s.expressionCounts).toEqual([2, 0, 0, 1, 0, 0, 0, 0]);
    expect(s.auLabelled[0]).toBe(3);
    expect(s.auPositives[0]).toBe(2);
    expect(s.auPositiveRate[0]).toBeCloseTo(2 / 3);
    expect(s.auPositiveRate[1]).toBeNaN();
  });
});

describe('parsePredictions', () => {
  it('accepts AU probabilities, scores sentinels as the weakest answer, and rejects out-of-range values', () => {
    const rows = parsePredictions([HEADER, row('a', '0.1,0.2,3,0.7,0,1,0,0,0,0,0,0,0,0,0'), row('b', '-5,-5,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1')].join('\n'), 'p.csv');
    expect(rows[0]!.aus[0]).toBe(0.7);
    expect(rows[1]).toEqual({ image: 'b', valence: 0, arousal: 0, expression: -1, aus: new Array(12).fill(0) });
    expect(() => parsePredictions([HEADER, row('a', '0.1,0.2,8,0,0,1,0,0,0,0,0,0,0,0,0')].join('\n'), 'p.csv')).toThrow(/p\.csv:2: expression 8/);
    expect(() => parsePredictions([HEADER, row('a', '0.1,0.2,1,1.5,0,1,0,0,0,0,0,0,0,0,0')].join('\n'), 'p.csv')).toThrow(/p\.csv:2: predicted AU1 1\.5/);
  });
});

describe('readAnnotations / writeAnnotations', () => {
  it('writes atomically and reads back with stats', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'az-ann-'));
    const file = join(dir, 'out.txt');
    const rows = parseAnnotations([HEADER, row('img/a.png', '-0.5,0.5,6,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1')].join('\n'), 'x');
    await writeAnnotations(file, rows);
    expect((await readFile(file, 'utf8')).split('\n')[0]).toBe(HEADER);
    const set = await readAnnotations(file);
    expect(set.rows).toEqual(rows);
    expect(set.stats.va).toBe(1);
  });

  it('names a missing file', async () => {
    await expect(readAnnotations('/nonexistent/labels.txt')).rejects.toThrow(/\/nonexistent\/labels\.txt: cannot read annotation file \(ENOENT\)/);
  });
});
