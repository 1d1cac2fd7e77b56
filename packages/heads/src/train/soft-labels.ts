/**
 * Soft expression targets from FER+ vote counts (`votes_*.csv`:
 * image,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,not_a_face; image
 * relative to the CSV's folder). FER+'s ten annotators disagree on many images; training on the
 * vote distribution rather than the majority label is what the FER+ authors found best ("probability
 * distribution" training). Contempt votes count as Other; unknown and not-a-face votes are dropped.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { InputError, NUM_EXPRESSIONS, type FrameLabels } from '@affectzoo/core';

const HEADER = 'image,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,not_a_face';
/** Vote column (after `image`) -> ABAW expression index; -1: dropped. */
const TO_ABAW = [0, 4, 6, 5, 1, 2, 3, 7, -1, -1];

/** Absolute image path -> its vote distribution over the 8 ABAW expressions (images with no usable vote are left out). */
export async function readVoteTargets(files: readonly string[]): Promise<Map<string, Float32Array>> {
  const out = new Map<string, Float32Array>();
  for (const file of files) {
    const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
    if (lines[0]?.trim() !== HEADER) throw new InputError(file, 1, `expected the header "${HEADER}"`);
    const base = dirname(resolve(file));
    for (let i = 1; i < lines.length; i++) {
      if (lines[i]!.trim() === '') continue;
      const cells = lines[i]!.split(',');
      if (cells.length !== 11) throw new InputError(file, i + 1, `expected 11 columns, found ${cells.length}`);
      const p = new Float32Array(NUM_EXPRESSIONS);
      let total = 0;
      cells.slice(1).forEach((c, k) => {
        const v = Number(c);
        if (!Number.isFinite(v) || v < 0) throw new InputError(file, i + 1, `"${c}" is not a vote count`);
        const e = TO_ABAW[k]!;
        if (e >= 0) { p[e]! += v; total += v; }
      });
      if (total === 0) continue;
      for (let e = 0; e < NUM_EXPRESSIONS; e++) p[e]! /= total;
      out.set(resolve(base, cells[0]!), p);
    }
  }
  return out;
}

/**
 * `[rows, 8]` expression targets: the vote distribution of rows whose image has votes, the one-hot
 * label of other labelled rows, zeros for rows without an expression label (the loss masks them).
 * `imageOf` gives a row's absolute image path.
 */
export function expressionTargets(rows: readonly FrameLabels[], votes: ReadonlyMap<string, Float32Array>, imageOf: (row: FrameLabels) => string): { targets: Float32Array; soft: number } {
  const targets = new Float32Array(rows.length * NUM_EXPRESSIONS);
  let soft = 0;
  rows.forEach((r, i) => {
    if (r.expression === null) return;
    const v = votes.get(imageOf(r));
    if (v) {
      targets.set(v, i * NUM_EXPRESSIONS);
      soft++;
    } else {
      targets[i * NUM_EXPRESSIONS + r.expression] = 1;
    }
  });
  return { targets, soft };
}
