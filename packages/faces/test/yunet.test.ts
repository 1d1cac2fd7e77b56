import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { YuNet } from '../src/yunet.js';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const MODEL = `${SHARED}models/yunet_n_dynamic.onnx`;
const present = existsSync(MODEL);
if (!present) console.warn(`skipping YuNet tests: ${MODEL} is absent`);

async function rgb(file: string) {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

describe.skipIf(!present)('YuNet', () => {
  it('finds the six faces of the group photo, with landmarks inside their boxes', async () => {
    const detector = await YuNet.load(MODEL);
    const faces = await detector.detect(await rgb(`${SHARED}media/multiface.jpg`));
    // The six people, counted by eye: approximate face centres in the 1200x630 photo.
    const people = [[595, 105], [660, 245], [265, 300], [765, 520], [460, 190], [910, 500]];
    expect(faces).toHaveLength(6);
    for (const [px, py] of people) {
      const hit = faces.filter((f) => px! > f.box[0] && px! < f.box[0] + f.box[2] && py! > f.box[1] && py! < f.box[1] + f.box[3]);
      expect(hit, `a face around (${px}, ${py})`).toHaveLength(1);
    }
    for (const f of faces) {
      expect(f.score).toBeGreaterThan(0.6);
      for (const [x, y] of f.landmarks) {
        expect(x).toBeGreaterThanOrEqual(f.box[0]);
        expect(x).toBeLessThanOrEqual(f.box[0] + f.box[2]);
        expect(y).toBeGreaterThanOrEqual(f.box[1]);
        expect(y).toBeLessThanOrEqual(f.box[1] + f.box[3]);
      }
    }
    await detector.dispose();
  });
});

describe.skipIf(!present)('the yunet detector plugin', () => {
  it('loads the published model from the cache folder AFFECTZOO_CACHE names, and refuses a wrong checksum', async () => {
    const { createRegistry } = await import('@affectzoo/core');
    const { register } = await import('../src/index.js');
    const registry = createRegistry();
    register(registry);
    const previous = process.env.AFFECTZOO_CACHE;
    process.env.AFFECTZOO_CACHE = `${SHARED}models`;
    try {
      const detector = await (await registry.create('detector', { name: 'yunet', options: { scoreThreshold: 0.8 } })).load();
      expect(await detector.detect(await rgb(`${SHARED}media/multiface.jpg`))).toHaveLength(6);
      await detector.dispose();
      const wrong = await registry.create('detector', { name: 'yunet', options: { model: MODEL, sha256: '0'.repeat(64) } });
      await expect(wrong.load()).rejects.toThrow(/does not match the expected/);
    } finally {
      if (previous === undefined) delete process.env.AFFECTZOO_CACHE;
      else process.env.AFFECTZOO_CACHE = previous;
    }
  });
});
