// Reads the real annotation files in ../shared/data (skipped with a message where it is absent).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { imagePath, readAnnotations } from '../src/index.js';

const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));
const present = existsSync(DATA);
if (!present) console.warn(`skipping shared-data tests: ${DATA} is absent`);

describe.skipIf(!present)('shared ABAW-format data', () => {
  it.each([
    ['tiny/annotations.txt', 46],
    ['ckplus/dev.txt', 702],
    ['affectnet/dev.txt', 1999],
    ['ferplus/valid.txt', 3417],
    ['ferplus/train.txt', 27097],
  ])('reads %s', async (file, frames) => {
    const set = await readAnnotations(DATA + file);
    expect(set.stats.frames).toBe(frames);
    expect(existsSync(imagePath(set, set.rows[0]!))).toBe(true);
    if (file.startsWith('ckplus')) expect(Math.min(...set.stats.auLabelled)).toBe(702);
    if (file.startsWith('affectnet')) expect(set.stats.va).toBe(1999);
  });
});
