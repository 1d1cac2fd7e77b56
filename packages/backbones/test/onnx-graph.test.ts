// Exposing an internal node of a real ONNX model as an extra output, and the generic `onnx` backbone.
import { readFile } from 'node:fs/promises';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createRegistry, type RgbImage } from '@affectzoo/core';
import { addOnnxOutputs, readOnnxGraph, register } from '../src/index.js';
import { FACERES_ONNX_FILE, present } from './shared.js';

const grey: RgbImage = { data: new Uint8Array(224 * 224 * 3).fill(128), width: 224, height: 224 };

describe.skipIf(!present)('ONNX graph editing', () => {
  it('reads the graph and adds an intermediate node to the outputs', async () => {
    const model = new Uint8Array(await readFile(FACERES_ONNX_FILE));
    const info = readOnnxGraph(model);
    expect(info.inputs).toEqual(['input']);
    expect(info.outputs).toEqual(['features']);
    const pool = info.nodes.find((n) => n.opType === 'GlobalAveragePool')!;
    const edited = addOnnxOutputs(model, [pool.outputs[0]!]);
    expect(readOnnxGraph(edited).outputs).toEqual(['features', pool.outputs[0]]);
    const session = await ort.InferenceSession.create(edited);
    const out = await session.run({ input: new ort.Tensor('float32', new Float32Array(2 * 3 * 224 * 224).fill(0.5), [2, 3, 224, 224]) });
    expect(out[pool.outputs[0]!]!.dims).toEqual([2, 1024, 1, 1]);
    expect([...(out[pool.outputs[0]!]!.data as Float32Array)]).toEqual([...(out.features!.data as Float32Array)]);
    await session.release();
  });

  it('names a missing node', () => {
    return readFile(FACERES_ONNX_FILE).then((m) => expect(() => addOnnxOutputs(new Uint8Array(m), ['nope'])).toThrow(/no node .* produces "nope"/));
  });

  it('runs the generic onnx backbone at a named intermediate node', async () => {
    const registry = createRegistry();
    register(registry);
    const model = new Uint8Array(await readFile(FACERES_ONNX_FILE));
    const conv = readOnnxGraph(model).nodes.filter((n) => n.opType === 'Clip').at(-1)!.outputs[0]!;
    const backbone = await registry.create('backbone', {
      name: 'onnx',
      options: { model: FACERES_ONNX_FILE, feature: conv, scale: 1, mean: [0, 0, 0], std: [1, 1, 1] },
    });
    const ex = await backbone.load(await registry.create('backend', { name: 'onnx' }));
    expect(ex.featureSize).toBe(1024 * 7 * 7);
    expect((await ex.extract([grey, grey])).length).toBe(2 * 1024 * 7 * 7);
    await ex.dispose();
    // faceres as ONNX ends at the pooling: there is no classifier, so no penultimate.
    const p = await registry.create('backbone', { name: 'onnx', options: { model: FACERES_ONNX_FILE } });
    await expect(p.load(await registry.create('backend', { name: 'onnx' }))).rejects.toThrow(/no Gemm\/MatMul/);
  });

  it('runs the generic tfjs-graph backbone at penultimate + logits', async () => {
    const { faceresTfjsModel } = await import('../src/index.js');
    const registry = createRegistry();
    register(registry);
    const backbone = await registry.create('backbone', {
      name: 'tfjs-graph',
      options: { model: faceresTfjsModel(), withLogits: true, scale: 1, mean: [0, 0, 0], std: [1, 1, 1] },
    });
    const ex = await backbone.load(await registry.create('backend', { name: 'wasm' }));
    // The final dense layer is age_pred (100 classes) fed by the 'feats' layer.
    expect(ex.featureSize).toBeGreaterThan(100);
    expect((await ex.extract([grey])).length).toBe(ex.featureSize);
    await ex.dispose();
  }, 30_000);
});
