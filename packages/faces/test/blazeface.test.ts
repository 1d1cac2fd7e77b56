import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '@affectzoo/core';
import { register as registerBackbones } from '@affectzoo/backbones';
import { BlazeFace, blazefaceAnchors } from '../src/blazeface.js';
import { YuNet } from '../src/yunet.js';
import { alignFace, alignmentTransform } from '../src/align.js';
import { expectTheSixPeople } from './group-photo.js';
import { iou } from '../src/nms.js';
import { register } from '../src/index.js';
import type { Face } from '../src/types.js';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const PHOTO = `${SHARED}media/multiface.jpg`;
const YUNET = `${SHARED}models/yunet_n_dynamic.onnx`;
const present = existsSync(PHOTO) && existsSync(YUNET);
if (!present) console.warn(`skipping the BlazeFace group-photo tests: ${PHOTO} or ${YUNET} is absent`);

async function rgb(file: string) {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** A deterministic noise frame: no faces, but every op of the detector runs. */
function noise(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  let s = 1;
  for (let i = 0; i < data.length; i++) data[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  return { data, width, height };
}

beforeAll(async () => {
  // The project's way to choose the TF.js backend: the `wasm` backend plugin of @affectzoo/backbones.
  const registry = createRegistry();
  registerBackbones(registry);
  await registry.create('backend', { name: 'wasm' });
});

describe('BlazeFace decoding', () => {
  it('has Human\'s 896 anchors: 16x16 cells x 2 at stride 16, then 8x8 cells x 6 at stride 32', () => {
    const a = blazefaceAnchors();
    expect(a.length / 2).toBe(896);
    expect([a[0], a[1], a[2], a[3]]).toEqual([8, 8, 8, 8]);
    expect([a[2 * 512], a[2 * 512 + 1]]).toEqual([16, 16]);
    expect([a[2 * 895], a[2 * 895 + 1]]).toEqual([240, 240]);
  });

  it('runs on the wasm backend and leaves no tensor behind over repeated detect calls', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const detector = await BlazeFace.load();
    const frame = noise(320, 200);
    await detector.detect(frame);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await detector.detect(frame);
    expect(tf.memory().numTensors).toBe(before);
    await detector.dispose();
  });
});

describe('six-point alignment', () => {
  it('fits eyes, nose and mouth centre to the template eyes, nose and mouth-corner midpoint; ears do not count', () => {
    const tpl: [number, number][] = [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]];
    const mouth: [number, number] = [(tpl[3]![0] + tpl[4]![0]) / 2, (tpl[3]![1] + tpl[4]![1]) / 2];
    // A face at twice the template's scale, shifted by 20; ears anywhere.
    const points: [number, number][] = [tpl[0]!, tpl[1]!, tpl[2]!, mouth, [-500, 3], [900, 70]];
    const face: Face = { box: [20, 20, 224, 224], landmarks: points.map(([x, y]) => [x * 2 + 20, y * 2 + 20]), score: 1 };
    const [a, b, tx, ty] = alignmentTransform(face, { width: 112, height: 112, method: 'landmarks', margin: 0 });
    expect(a).toBeCloseTo(0.5, 9);
    expect(b).toBeCloseTo(0, 9);
    expect(tx).toBeCloseTo(-10, 9);
    expect(ty).toBeCloseTo(-10, 9);
    expect(() => alignmentTransform({ ...face, landmarks: face.landmarks.slice(0, 4) }, { width: 112, height: 112, method: 'landmarks', margin: 0 }))
      .toThrow(/5 .* or 6 .* landmarks, the face has 4/);
  });
});

describe('the blazeface detector plugin', () => {
  it('is registered with its options and loads the model from the installed @vladmandic/human', async () => {
    const registry = createRegistry();
    register(registry);
    await expect(registry.create('detector', { name: 'blazeface', options: { minSize: 3 } })).rejects.toThrow(/minSize/);
    const plugin = await registry.create('detector', { name: 'blazeface', options: { scoreThreshold: 0.7, nmsThreshold: 0.2, topK: 3 } });
    const detector = await plugin.load();
    expect(detector).toBeInstanceOf(BlazeFace);
    expect((detector as BlazeFace).options).toEqual({ scoreThreshold: 0.7, nmsThreshold: 0.2, topK: 3 });
    expect(await detector.detect(noise(64, 64))).toEqual([]);
    await detector.dispose();
  });
});

describe.skipIf(!present)('BlazeFace on the group photo', () => {
  let frame: Awaited<ReturnType<typeof rgb>>;
  let blaze: Face[];
  let yunet: Face[];
  beforeAll(async () => {
    frame = await rgb(PHOTO);
    const b = await BlazeFace.load();
    blaze = await b.detect(frame);
    await b.dispose();
    const y = await YuNet.load(YUNET);
    yunet = await y.detect(frame);
    await y.dispose();
  });

  it('finds the six faces YuNet finds, with its six landmarks inside their boxes', () => {
    expectTheSixPeople(blaze, 0.7);
    for (const f of blaze) {
      expect(f.landmarks).toHaveLength(6);
      // Image-left eye and ear first, as the documented order says.
      expect(f.landmarks[0]![0]).toBeLessThan(f.landmarks[1]![0]);
      expect(f.landmarks[4]![0]).toBeLessThan(f.landmarks[5]![0]);
    }
  });

  it('aligns each face close to the YuNet-aligned crop of the same face', () => {
    const o = { width: 112, height: 112, method: 'landmarks' as const, margin: 0 };
    const mad = (a: Uint8Array, b: Uint8Array) => a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
    const yunetCrops = yunet.map((f) => alignFace(frame, f, o).data);
    const same: number[] = [];
    for (const f of blaze) {
      const overlaps = yunet.map((g) => iou(f.box, g.box));
      const j = overlaps.indexOf(Math.max(...overlaps));
      expect(overlaps[j]).toBeGreaterThan(0.5);
      const crop = alignFace(frame, f, o).data;
      const d = mad(crop, yunetCrops[j]!);
      const others = yunetCrops.filter((_, k) => k !== j).map((c) => mad(crop, c));
      // Closer to the same person's YuNet crop than, on average, to the other five people's.
      expect(d).toBeLessThan(others.reduce((s, v) => s + v, 0) / others.length);
      same.push(d);
    }
    // Why 45 and 40 (0..255 levels, 112x112): this photo is textured enough that shifting YuNet's own
    // crop by 6 px gives 22-30, and BlazeFace sees these faces at about 20 px in its 256-px input, so
    // one input pixel is 4.7 image pixels (about 6% of a face): its points and YuNet's differ by 3-10
    // crop pixels (measured), which gives 27-42 here. Different people's crops differ by 41-73.
    for (const d of same) expect(d).toBeLessThan(45);
    expect(same.reduce((s, v) => s + v, 0) / same.length).toBeLessThan(40);
  });
});
