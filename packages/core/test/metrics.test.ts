import { describe, expect, it } from 'vitest';
import { abawScores, abawScoresByImage, binaryF1, ccc, macroF1, perClassF1, type FrameLabels } from '../src/index.js';

describe('binaryF1', () => {
  it('matches a hand-worked case', () => {
    // labels 1 1 0 0 1, predictions 1 0 1 0 1: TP 2, FP 1, FN 1 -> F1 = 4 / 6
    expect(binaryF1([1, 1, 0, 0, 1], [1, 0, 1, 0, 1])).toBeCloseTo(2 / 3, 12);
  });
  it('is 1 for a perfect prediction and 0 with no positives anywhere (zero division)', () => {
    expect(binaryF1([1, 0, 1], [1, 0, 1])).toBe(1);
    expect(binaryF1([0, 0, 0], [0, 0, 0])).toBe(0);
    expect(binaryF1([0, 0], [1, 1])).toBe(0);
  });
});

describe('macroF1', () => {
  it('averages over all classes, absent classes counting 0', () => {
    // classes 0..2 present, class 3 absent. y = 0 0 1 2, p = 0 1 1 2
    // class 0: TP1 FN1 -> 2/3; class 1: TP1 FP1 -> 2/3; class 2: 1; class 3: 0
    expect(perClassF1([0, 0, 1, 2], [0, 1, 1, 2], 4)).toEqual([2 / 3, 2 / 3, 1, 0]);
    expect(macroF1([0, 0, 1, 2], [0, 1, 1, 2], 4)).toBeCloseTo((2 / 3 + 2 / 3 + 1) / 4, 12);
  });
  it('counts a -1 ("no prediction") as a miss only', () => {
    // class 0: TP 1, FN 1 -> 2/3; class 1: nothing -> 0
    expect(perClassF1([0, 0], [0, -1], 2)).toEqual([2 / 3, 0]);
  });
});

describe('ccc', () => {
  it('matches a hand-worked case', () => {
    // x = 1 2 3, y = 2 2 5: means 2, 3; var x = 2/3, var y = 2, cov = 1; CCC = 2 / (2/3 + 2 + 1) = 6/11
    expect(ccc([1, 2, 3], [2, 2, 5])).toBeCloseTo(6 / 11, 12);
  });
  it('is 1 for x with x, below 1 for a shifted or scaled copy, -1 for a mirrored one', () => {
    const x = [0.3, -0.2, 0.8, 0.1, -0.6];
    const centred = [1, -1, 2, -2, 0]; // mirroring keeps the mean only when it is 0
    expect(ccc(x, x)).toBeCloseTo(1, 12);
    expect(ccc(x, x.map((v) => v + 0.2))).toBeLessThan(1);
    expect(ccc(x, x.map((v) => v * 2))).toBeLessThan(1);
    expect(ccc(centred, centred.map((v) => -v))).toBeCloseTo(-1, 12);
    expect(ccc(x, x.map((v) => -v))).toBeGreaterThan(-1);
  });
  it('takes each mean from its own sequence (a constant offset is penalised)', () => {
    // y = x + 1: cov = var x = v; CCC = 2v / (2v + 1)
    const x = [0, 1, 2, 3];
    const v = 1.25;
    expect(ccc(x, x.map((a) => a + 1))).toBeCloseTo((2 * v) / (2 * v + 1), 12);
  });
  it('handles the edge cases', () => {
    expect(ccc([], [])).toBeNaN();
    expect(ccc([1, 1], [1, 1])).toBe(0);
  });
});

const nulls = () => new Array<null>(12).fill(null);

describe('abawScores', () => {
  const labels: FrameLabels[] = [
    { image: 'a', valence: 0.5, arousal: 0.1, expression: 0, aus: nulls() },
    { image: 'b', valence: -0.5, arousal: 0.3, expression: 1, aus: nulls() },
    { image: 'c', valence: null, arousal: null, expression: null, aus: [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
    { image: 'd', valence: null, arousal: null, expression: null, aus: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
  ];

  it('scores each task only over its labelled frames', () => {
    const aus = new Array(48).fill(0);
    aus[2 * 12] = 0.7; // frame c, AU1 -> predicted positive (>= 0.5)
    aus[3 * 12] = 0.49; // frame d, AU1 -> negative
    const s = abawScores(labels, {
      valence: [0.5, -0.5, 99, 99], // values on unlabelled frames must not count
      arousal: [0.1, 0.3, -99, -99],
      expression: [0, 1, 5, 5],
      aus,
    });
    expect(s.ccc_valence).toBeCloseTo(1, 12);
    expect(s.ccc_arousal).toBeCloseTo(1, 12);
    expect(s.P_VA).toBeCloseTo(1, 12);
    expect(s.ex_f1.slice(0, 2)).toEqual([1, 1]);
    expect(s.P_EX).toBeCloseTo(2 / 8, 12);
    expect(s.au_f1[0]).toBe(1);
    expect(s.P_AU).toBeCloseTo(1 / 12, 12);
    expect(s.P_MTL).toBeCloseTo(s.P_AU + s.P_EX + s.P_VA, 12);
    expect(s.counts).toEqual({ frames: 4, va: 2, expression: 2, au: new Array(12).fill(2) });
  });

  it('matches predictions by image and names a missing one', () => {
    const p = (image: string) => ({ image, valence: 0, arousal: 0, expression: 0, aus: new Array(12).fill(0) });
    expect(() => abawScoresByImage(labels, [p('a'), p('b'), p('c')], 'pred.csv')).toThrow(/pred\.csv: no prediction for image d/);
    expect(abawScoresByImage(labels, [p('d'), p('c'), p('b'), p('a')]).counts.frames).toBe(4);
  });
});
