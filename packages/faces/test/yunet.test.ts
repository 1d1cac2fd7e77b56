import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { YuNet } from '../src/yunet.js';
import { expectTheSixPeople } from './group-photo.js';

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
    expectTheSixPeople(faces, 0.6);
    for (const f of faces) expect(f.landmarks).toHaveLength(5);
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
