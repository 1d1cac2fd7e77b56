import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRegistry, readAffWild2Folders } from '../src/index.js';

const AU_HEADER = 'AU1,AU2,AU4,AU6,AU7,AU10,AU12,AU15,AU23,AU24,AU25,AU26';
const EXPR_HEADER = 'Neutral,Anger,Disgust,Fear,Happiness,Sadness,Surprise,Other';

async function makeFolders(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'az-aw2-'));
  for (const d of ['VA_Estimation_Challenge', 'EXPR_Classification_Challenge', 'AU_Detection_Challenge']) await mkdir(join(root, d));
  await writeFile(join(root, 'VA_Estimation_Challenge', 'v1.txt'), 'valence,arousal\n0.5,0.1\n-5,-5\n0.2,-0.3\n');
  await writeFile(join(root, 'EXPR_Classification_Challenge', 'v1.txt'), `${EXPR_HEADER}\n4\n-1\n0\n`);
  await writeFile(join(root, 'AU_Detection_Challenge', 'v1.txt'), `${AU_HEADER}\n1,0,0,0,0,0,1,0,0,0,1,0\n-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1,-1\n0,0,0,0,0,0,0,0,0,0,0,0\n`);
  await writeFile(join(root, 'EXPR_Classification_Challenge', 'v2.txt'), `${EXPR_HEADER}\n6\n`);
  return root;
}

describe('readAffWild2Folders', () => {
  it('merges VA, EXPR and AU by video and frame, dropping frames no task labels', async () => {
    const root = await makeFolders();
    const set = await readAffWild2Folders({
      va: join(root, 'VA_Estimation_Challenge'),
      expr: join(root, 'EXPR_Classification_Challenge'),
      au: join(root, 'AU_Detection_Challenge'),
      images: join(root, 'cropped_aligned'),
    });
    expect(set.rows.map((r) => r.image)).toEqual(['v1/00001.jpg', 'v1/00003.jpg', 'v2/00001.jpg']);
    expect(set.rows[0]).toMatchObject({ valence: 0.5, arousal: 0.1, expression: 4 });
    expect(set.rows[0]!.aus[0]).toBe(1);
    expect(set.rows[2]).toMatchObject({ valence: null, expression: 6 });
    expect(set.rows[2]!.aus.every((a) => a === null)).toBe(true);
    expect(set.stats).toMatchObject({ frames: 3, va: 2, expression: 3 });
  });

  it('is the affwild2-folders dataset format, reading a root folder', async () => {
    const root = await makeFolders();
    const format = await createRegistry().create('dataset', { name: 'affwild2-folders' });
    const set = await format.read(root);
    expect(set.rows).toHaveLength(3);
    expect(set.file.startsWith(join(root, 'cropped_aligned'))).toBe(true);
  });

  it('reports a bad value with file and line', async () => {
    const root = await makeFolders();
    await writeFile(join(root, 'AU_Detection_Challenge', 'v3.txt'), `${AU_HEADER}\n0,0,0,0,0,0,0,0,0,0,0,0\n0,0,2,0,0,0,0,0,0,0,0,0\n`);
    await expect(readAffWild2Folders({ au: join(root, 'AU_Detection_Challenge') }))
      .rejects.toThrow(/v3\.txt:3: AU4 2 is not 0, 1/);
    await writeFile(join(root, 'VA_Estimation_Challenge', 'v4.txt'), 'valence,arousal\n1.5,0\n');
    await expect(readAffWild2Folders({ va: join(root, 'VA_Estimation_Challenge') }))
      .rejects.toThrow(/v4\.txt:2: valence 1\.5 is outside/);
  });
});
