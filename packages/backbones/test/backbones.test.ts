// faceres on ONNX Runtime and TF.js wasm, on real face images from ../shared/data/tiny.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, decodeImages, imagePath, readAnnotations, type FeatureExtractor, type RgbImage } from '@affectzoo/core';
import { register } from '../src/index.js';
import { MODELS, TINY, present } from './shared.js';

describe.skipIf(!present)('faceres', () => {
  const registry = createRegistry();
  register(registry);
  let images: RgbImage[] = [];
  let onnx: FeatureExtractor;
  let wasm: FeatureExtractor;
  const saved = process.env.AFFECTZOO_CACHE;

  beforeAll(async () => {
    process.env.AFFECTZOO_CACHE = MODELS;
    const backbone = await registry.create('backbone', { name: 'faceres' });
    const set = await readAnnotations(TINY);
    images = (await decodeImages(set.rows.map((r) => imagePath(set, r)), { width: backbone.input.width, height: backbone.input.height }))
      .images.filter((i): i is RgbImage => i !== null);
    onnx = await backbone.load(await registry.create('backend', { name: 'onnx' }));
    wasm = await backbone.load(await registry.create('backend', { name: 'wasm' }));
  }, 60_000);
  afterAll(async () => {
    await onnx?.dispose();
    await wasm?.dispose();
    process.env.AFFECTZOO_CACHE = saved;
  });

  it('declares its input and feature size', () => {
    expect(onnx.featureSize).toBe(1024);
    expect(wasm.featureSize).toBe(1024);
    expect(onnx.input).toMatchObject({ width: 224, height: 224, colorOrder: 'rgb', layout: 'nchw', scale: 1 });
    expect(wasm.input.layout).toBe('nhwc');
  });

  it('gives the same features on TF.js wasm and ONNX Runtime (1e-3) for every tiny image', async () => {
    expect(images.length).toBe(46);
    let maxDiff = 0;
    for (let i = 0; i < images.length; i += 16) {
      const batch = images.slice(i, i + 16);
      const a = await onnx.extract(batch);
      const b = await wasm.extract(batch);
      expect(a.length).toBe(batch.length * 1024);
      for (let k = 0; k < a.length; k++) maxDiff = Math.max(maxDiff, Math.abs(a[k]! - b[k]!));
    }
    expect(maxDiff).toBeLessThan(1e-3);
  }, 180_000);

  it('gives a row the same features alone as in a batch', async () => {
    const batch = await onnx.extract(images.slice(0, 4));
    const alone = await onnx.extract(images.slice(2, 3));
    for (let k = 0; k < 1024; k++) expect(alone[k]).toBeCloseTo(batch[2 * 1024 + k]!, 4);
  });

  it('holds no TF.js tensors across repeated batches', async () => {
    await wasm.extract(images.slice(0, 2));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) await wasm.extract(images.slice(i, i + 2));
    expect(tf.memory().numTensors).toBe(before);
  }, 30_000);

  it('refuses a model file with the wrong checksum', async () => {
    const backbone = await registry.create('backbone', { name: 'faceres', options: { model: `${MODELS}faceres_mobilenetv1.onnx`, sha256: 'a'.repeat(64) } });
    await expect(backbone.load(await registry.create('backend', { name: 'onnx' }))).rejects.toThrow(/does not match.*refusing/);
  });
});
