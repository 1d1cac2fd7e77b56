/**
 * TF.js backends: `wasm` (the default: about 30x faster than `cpu` here), `cpu`, and `tensorflow`
 * (libtensorflow through @tensorflow/tfjs-node or -gpu, optional peer dependencies detected at
 * run time). TF.js has one global engine, so the last backend created is the one that runs.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ConfigError, type BackendPlugin } from '@affectzoo/core';

export type TfjsBackendName = 'wasm' | 'cpu' | 'tensorflow';

const require = createRequire(import.meta.url);

/** The folder of the installed package's .wasm files, so nothing is fetched from a CDN. */
export function wasmDir(): string {
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

/** Load tfjs-node-gpu or tfjs-node (whichever is installed), which registers the `tensorflow` backend. */
async function loadTfjsNode(path: string): Promise<string> {
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    // Resolve first, so that "not installed" is told apart from "installed but failing to load".
    let entry: string;
    try {
      entry = require.resolve(pkg);
    } catch {
      continue;
    }
    await import(pathToFileURL(entry).href);
    return pkg;
  }
  throw new ConfigError([{
    path: `${path}.name`,
    message: 'backend "tensorflow" needs @tensorflow/tfjs-node (or @tensorflow/tfjs-node-gpu) installed next to @affectzoo/backbones; it downloads libtensorflow at install time. Use "wasm" or "onnx" where that is not possible',
  }]);
}

export class TfjsBackend implements BackendPlugin {
  readonly runtime = 'tfjs' as const;
  private constructor(readonly name: TfjsBackendName, private readonly detail: string) {}

  static async create(name: TfjsBackendName, path = 'backend'): Promise<TfjsBackend> {
    let detail = '';
    if (name === 'wasm') {
      setWasmPaths(wasmDir());
      detail = 'single thread'; // Node has no wasm multithread support usable by TF.js (DESIGN.md)
    } else if (name === 'tensorflow') {
      detail = await loadTfjsNode(path);
    }
    if (!(await tf.setBackend(name))) throw new Error(`TF.js backend "${name}" failed to initialise`);
    await tf.ready();
    if (name === 'wasm') detail += tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ', simd' : ', no simd';
    return new TfjsBackend(name, detail);
  }

  /** Make this backend the active one (another TfjsBackend may have switched the engine since). */
  async activate(): Promise<void> {
    if (tf.getBackend() !== this.name) await tf.setBackend(this.name);
  }

  describe(): string {
    return `tfjs ${tf.version_core} ${this.name}${this.detail ? ` (${this.detail})` : ''}`;
  }

  async dispose(): Promise<void> {}
}

/** Live TF.js tensors, for leak checks in benchmarks and tests. */
export function tfjsTensorCount(): number {
  return tf.memory().numTensors;
}
