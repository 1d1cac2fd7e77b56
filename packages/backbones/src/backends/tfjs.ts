/**
 * TF.js backends: `wasm` (the default: about 30x faster than `cpu` here), `cpu`, and `tensorflow`
 * (libtensorflow through @tensorflow/tfjs-node or -gpu, optional peer dependencies detected at
 * run time). TF.js has one global engine, so the last backend created is the one that runs.
 * `wasm` can run its matrix products on OpenBLAS through the optional @affectzoo/tfjs-blas addon.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { ConfigError, type BackendPlugin } from '@affectzoo/core';

export type TfjsBackendName = 'wasm' | 'cpu' | 'tensorflow';

/**
 * wasm's matrix products on OpenBLAS and the optimizer updates as native passes
 * (@affectzoo/tfjs-blas, a native addon built separately): `on` requires it, `auto` uses it when
 * built, `off` never. Default: the AFFECTZOO_TFJS_BLAS environment variable, else `auto`.
 */
export type TfjsBlasMode = 'auto' | 'on' | 'off';

export interface TfjsBackendOptions {
  blas?: TfjsBlasMode;
}

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

interface TfjsBlasModule {
  enableWasmBlas(): { enabled: boolean; reason: string };
  disableWasmBlas(): void;
}

let blasModule: TfjsBlasModule | null = null;

/** Switch wasm's matrix products to OpenBLAS or back; returns the describe() note. Not a dependency: resolved at run time. */
async function setupBlas(mode: TfjsBlasMode, path: string): Promise<string> {
  if (mode === 'off') {
    blasModule?.disableWasmBlas(); // an earlier backend may have switched it on (one global engine)
    return '';
  }
  if (!blasModule) {
    let entry: string | null = null;
    try {
      entry = require.resolve('@affectzoo/tfjs-blas');
    } catch {
      entry = null;
    }
    const mod: unknown = entry ? await import(pathToFileURL(entry).href) : null;
    if (typeof (mod as Partial<TfjsBlasModule> | null)?.enableWasmBlas === 'function') blasModule = mod as TfjsBlasModule;
  }
  const status = blasModule ? blasModule.enableWasmBlas() : { enabled: false, reason: '@affectzoo/tfjs-blas is not installed' };
  if (status.enabled) return `, ${status.reason}`;
  if (mode === 'on') throw new ConfigError([{ path: `${path}.blas`, message: `OpenBLAS requested but unavailable: ${status.reason}` }]);
  return '';
}

function blasModeFromEnv(path: string): TfjsBlasMode {
  const v = process.env.AFFECTZOO_TFJS_BLAS;
  if (v === undefined || v === '') return 'auto';
  if (v === 'auto' || v === 'on' || v === 'off') return v;
  throw new ConfigError([{ path: `${path}.blas`, message: `AFFECTZOO_TFJS_BLAS must be auto, on or off (got "${v}")` }]);
}

export class TfjsBackend implements BackendPlugin {
  readonly runtime = 'tfjs' as const;
  private constructor(readonly name: TfjsBackendName, private readonly detail: string) {}

  static async create(name: TfjsBackendName, path = 'backend', options: TfjsBackendOptions = {}): Promise<TfjsBackend> {
    let detail = '';
    if (name === 'wasm') {
      setWasmPaths(wasmDir());
      detail = 'single thread'; // Node has no wasm multithread support usable by TF.js (DESIGN.md)
    } else if (name === 'tensorflow') {
      detail = await loadTfjsNode(path);
    }
    if (!(await tf.setBackend(name))) throw new Error(`TF.js backend "${name}" failed to initialise`);
    await tf.ready();
    if (name === 'wasm') {
      detail += tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ', simd' : ', no simd';
      detail += await setupBlas(options.blas ?? blasModeFromEnv(path), path);
    }
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
