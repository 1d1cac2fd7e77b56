// `affectzoo extract` on real images from ../shared/data/tiny with faceres on ONNX Runtime.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePath, readAnnotations, readFeatures, formatAnnotations, type FeatureExtractor } from '@affectzoo/core';
import { buildRegistry, runExtract, runExtraction, type ExtractionJob } from '../src/index.js';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const TINY = `${SHARED}data/tiny/annotations.txt`;
const present = existsSync(TINY) && existsSync(`${SHARED}models/faceres_mobilenetv1.onnx`);
if (!present) console.warn(`skipping extract tests: ${SHARED} is absent`);

describe.skipIf(!present)('affectzoo extract', () => {
  let dir = '';
  let annotations = '';
  let extractor: FeatureExtractor;
  const saved = process.env.AFFECTZOO_CACHE;

  beforeAll(async () => {
    process.env.AFFECTZOO_CACHE = `${SHARED}models`;
    dir = await mkdtemp(join(tmpdir(), 'extract-'));
    // 10 tiny images, paths made absolute so the file can live in a temp folder.
    const set = await readAnnotations(TINY);
    annotations = join(dir, 'ten.txt');
    await writeFile(annotations, formatAnnotations(set.rows.slice(0, 10).map((r) => ({ ...r, image: imagePath(set, r) }))));
    const registry = await buildRegistry();
    const backbone = await registry.create('backbone', { name: 'faceres' });
    extractor = await backbone.load(await registry.create('backend', { name: 'onnx' }));
  }, 60_000);
  afterAll(async () => {
    await extractor?.dispose();
    process.env.AFFECTZOO_CACHE = saved;
  });

  const job = (out: string, extra: Partial<ExtractionJob> = {}): ExtractionJob => ({
    annotations, out, extractor, backbone: { name: 'faceres', fingerprint: 'faceres-test' }, backend: 'onnx',
    batchSize: 3, augmentCopies: 0, seed: 7, onBadImage: 'stop', ...extra,
  });

  it('writes features.npy and index.csv in annotation order, from flags alone', async () => {
    const out = join(dir, 'cli');
    const r = await runExtract({ backbone: 'faceres', backend: 'onnx', data: annotations, out, batchSize: '4', progress: false });
    expect(r).toMatchObject({ rows: 10, featureSize: 1024, batchesRun: 3 });
    const f = await readFeatures(out);
    expect(f.shape).toEqual([10, 1024]);
    expect(f.rows.map((x) => x.image)).toEqual((await readAnnotations(annotations)).rows.map((x) => x.image));
    expect(f.rows[0]).toEqual((await readAnnotations(annotations)).rows[0]);
    expect(await readdir(out)).toEqual(expect.arrayContaining(['features.npy', 'index.csv', 'meta.json']));
    expect(await readdir(out)).not.toContain('.partial');
    // Same features as a direct call on the same image.
    const direct = await runExtraction(job(join(dir, 'direct')));
    expect(direct.rows).toBe(10);
    const g = await readFeatures(join(dir, 'direct'));
    for (let k = 0; k < 2048; k++) expect(g.features[k]).toBeCloseTo(f.features[k]!, 4);
  }, 60_000);

  it('resumes after an interruption without redoing finished batches, and never leaves a final file half-made', async () => {
    const out = join(dir, 'resume');
    let calls = 0;
    await expect(runExtraction(job(out, {
      onProgress: () => {
        if (++calls === 3) throw new Error('killed'); // after 2 finished batches
      },
    }))).rejects.toThrow('killed');
    expect(await readdir(out)).toEqual(['.partial']);
    const r = await runExtraction(job(out));
    expect(r).toMatchObject({ batchesResumed: 2, batchesRun: 2, rows: 10 });
    const a = await readFeatures(out);
    const b = await readFeatures(join(dir, 'direct'));
    expect([...a.features]).toEqual([...b.features]);
    // Finished: a rerun does nothing.
    expect(await runExtraction(job(out))).toMatchObject({ batchesRun: 0 });
  }, 60_000);

  it('writes seeded augmented copies: same seed, same copies; different from the plain pass', async () => {
    const a = await runExtraction(job(join(dir, 'aug1'), { augmentCopies: 2 }));
    expect(a.rows).toBe(10);
    const f1 = await readFeatures(join(dir, 'aug1'));
    expect(f1.augmented!.shape).toEqual([2, 10, 1024]);
    await runExtraction(job(join(dir, 'aug2'), { augmentCopies: 2, batchSize: 5 }));
    const f2 = await readFeatures(join(dir, 'aug2'));
    for (let k = 0; k < 4096; k++) expect(f2.augmented!.data[k]).toBeCloseTo(f1.augmented!.data[k]!, 4);
    let diff = 0;
    for (let k = 0; k < 10240; k++) diff += Math.abs(f1.augmented!.data[k]! - f1.features[k]!);
    expect(diff).toBeGreaterThan(1);
  }, 60_000);

  it('names a missing image, or skips and lists it under onBadImage skip', async () => {
    const bad = join(dir, 'bad.txt');
    const text = await readFile(annotations, 'utf8');
    await writeFile(bad, text.replace(/^([^,\n]+\.png)(,.*)$/m, '/nowhere/missing.png$2'));
    await expect(runExtraction(job(join(dir, 'bad-stop'), { annotations: bad }))).rejects.toThrow(/\/nowhere\/missing\.png: image file not found/);
    const r = await runExtraction(job(join(dir, 'bad-skip'), { annotations: bad, onBadImage: 'skip' }));
    expect(r.rows).toBe(9);
    expect(r.skipped).toEqual([{ image: '/nowhere/missing.png', reason: 'image file not found' }]);
    expect((await readFeatures(join(dir, 'bad-skip'))).rows.map((x) => x.image)).not.toContain('/nowhere/missing.png');
  }, 60_000);
});
