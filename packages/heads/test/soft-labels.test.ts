import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NUM_AUS, type FrameLabels } from '@affectzoo/core';
import { expressionTargets, readVoteTargets } from '../src/index.js';

const row = (image: string, expression: number | null): FrameLabels => ({ image, valence: null, arousal: null, expression, aus: new Array(NUM_AUS).fill(null) });

describe('FER+ soft labels', () => {
  it('reads vote counts as ABAW distributions (contempt -> Other, unknown and not-a-face dropped) and fills one-hot elsewhere', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'azsoft-'));
    const csv = join(dir, 'votes.csv');
    await writeFile(csv, [
      'image,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,not_a_face',
      'train/a.png,6,0,2,0,0,0,0,0,2,0', // neutral 6/8, surprise 2/8 (unknown dropped)
      'train/b.png,0,0,0,0,0,0,0,3,0,1', // contempt only -> Other
      'train/c.png,0,0,0,0,0,0,0,0,5,5', // no usable vote: left out
      '',
    ].join('\n'));
    const votes = await readVoteTargets([csv]);
    expect(votes.size).toBe(2);
    expect([...votes.get(join(dir, 'train/a.png'))!]).toEqual([0.75, 0, 0, 0, 0, 0, 0.25, 0]);
    expect([...votes.get(join(dir, 'train/b.png'))!]).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    const rows = [row(join(dir, 'train/a.png'), 0), row(join(dir, 'x.png'), 3), row(join(dir, 'y.png'), null)];
    const { targets, soft } = expressionTargets(rows, votes, (r) => r.image);
    expect(soft).toBe(1);
    expect([...targets]).toEqual([0.75, 0, 0, 0, 0, 0, 0.25, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
