/** Heads train on a TF.js backend: the config's, when it is one, else wasm. */
import { ConfigError, type AffectzooConfig, type Registry } from '@affectzoo/core';

export async function useTrainingBackend(config: Pick<AffectzooConfig, 'backend'>, registry: Registry): Promise<string> {
  const ref = config.backend.name === 'onnx' ? { name: 'wasm', options: {} } : config.backend;
  const backend = await registry.create('backend', ref, 'backend');
  if (backend.runtime !== 'tfjs') throw new ConfigError([{ path: 'backend.name', message: `heads train on a TF.js backend (wasm, cpu, tensorflow), not ${backend.name}` }]);
  return backend.describe();
}
