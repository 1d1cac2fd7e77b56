// What the tests know about ../shared/media/multiface.jpg, and the checks both detectors share.
import { expect } from 'vitest';
import type { Face } from '../src/index.js';

/** The six people, counted by eye: approximate face centres in the 1200x630 photo. */
export const PEOPLE: readonly (readonly [number, number])[] = [[595, 105], [660, 245], [265, 300], [765, 520], [460, 190], [910, 500]];

/** Exactly one face around each person, each with at least `minScore` and its landmarks inside its box. */
export function expectTheSixPeople(faces: readonly Face[], minScore: number): void {
  expect(faces).toHaveLength(PEOPLE.length);
  for (const [px, py] of PEOPLE) {
    const hit = faces.filter((f) => px > f.box[0] && px < f.box[0] + f.box[2] && py > f.box[1] && py < f.box[1] + f.box[3]);
    expect(hit, `a face around (${px}, ${py})`).toHaveLength(1);
  }
  for (const f of faces) {
    expect(f.score).toBeGreaterThan(minScore);
    for (const [x, y] of f.landmarks) {
      expect(x).toBeGreaterThanOrEqual(f.box[0]);
      expect(x).toBeLessThanOrEqual(f.box[0] + f.box[2]);
      expect(y).toBeGreaterThanOrEqual(f.box[1]);
      expect(y).toBeLessThanOrEqual(f.box[1] + f.box[3]);
    }
  }
}
