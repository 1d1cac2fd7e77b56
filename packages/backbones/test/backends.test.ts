import { describe, expect, it } from 'vitest';
import { ConfigError, createRegistry } from '@affectzoo/core';
import { register } from '../src/index.js';

describe('backends', () => {
  const registry = createRegistry();
  register(registry);

  it('registers the four backends and the backbones', () => {
    expect(registry.names('backend')).toEqual(['cpu', 'onnx', 'tensorflow', 'wasm']);
    expect(registry.names('backbone')).toEqual(['faceres', 'hsemotion-enet-b0-8-best-vgaf', 'onnx', 'tfjs-graph']);
  });

  it('says what to install when tfjs-node is absent', async () => {
    const e = await registry.create('backend', { name: 'tensorflow' }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConfigError);
    expect(String((e as Error).message)).toMatch(/@tensorflow\/tfjs-node/);
  });

  it('describes the wasm and onnx backends', async () => {
    expect((await registry.create('backend', { name: 'wasm' })).describe()).toMatch(/wasm/);
    expect((await registry.create('backend', { name: 'onnx', options: { threads: 2 } })).describe()).toMatch(/cpu, 2 threads/);
  });

  it('refuses an ONNX-only backbone on a TF.js backend, with the config path', async () => {
    const bb = await registry.create('backbone', { name: 'hsemotion-enet-b0-8-best-vgaf' });
    expect(bb.featureSize).toBe(1288);
    await expect(bb.load(await registry.create('backend', { name: 'wasm' }))).rejects.toThrow(/backbone.name.*use backend "onnx"/);
  });
});
