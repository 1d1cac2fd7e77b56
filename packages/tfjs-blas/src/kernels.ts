/**
 * TF.js wasm's `BatchMatMul` and `_FusedMatMul` kernels, re-registered to run OpenBLAS sgemm
 * directly on the wasm heap. Single-threaded wasm multiplies at ~20 GFLOPS and its transposed
 * products at a fraction of that; OpenBLAS runs every transpose case at full speed. Only the two
 * kernels change: autodiff, the other ops and the tensors' storage stay TF.js wasm's, so the
 * sgemm reads and writes Float32Array views of the backend's own memory (no copies).
 * Anything this path does not handle (other dtypes, broadcasting that is not "one side
 * unbatched", prelu, non-vector bias, empty shapes) goes to the original kernel unchanged.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  BatchMatMul, _FusedMatMul, Identity, Mean, Sum, Tanh, broadcast_util, util,
  type KernelConfig, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { loadAddon, type BlasAddon, type BlasInfo } from './addon.js';
import { asHeapBackend, writeOutputs } from './heap.js';
import { wrapIdentity, wrapMean, wrapSum, wrapTanh } from './cheaper-kernels.js';
import { registerUpdateKernels, unregisterUpdateKernels } from './update-kernels.js';

/** The addon's activation codes (native/tfjs_blas.c); prelu is left to the wasm kernel. */
const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5 };

interface Plan {
  batch: number; m: number; n: number; k: number;
  aBatched: boolean; bBatched: boolean;
  outShape: number[];
}

/**
 * The sgemm call for a [..., m, k] x [..., k, n] product (before transposes), or null where the
 * batch dimensions are broadcast in a way that is not "equal" or "one side has none".
 */
function plan(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Plan | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length, rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const k = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  // A mismatch is the original kernel's to report, with its own message.
  if (k !== kb || m === 0 || n === 0 || k === 0) return null;
  let outer: number[];
  try {
    outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return null;
  }
  const batch = util.sizeFromShape(outer);
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  // Equal sizes after broadcasting means equal outer dims (up to leading 1s): same flat batch index.
  if (batch === 0 || (batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  return { batch, m, n, k, aBatched: batchA === batch && batch > 1, bBatched: batchB === batch && batch > 1, outShape: [...outer, m, n] };
}

export interface BlasCounters {
  /** Products run by OpenBLAS. */
  blas: number;
  /** Products handed to the original wasm kernel. */
  fallback: number;
}

const counters: BlasCounters = { blas: 0, fallback: 0 };
/** The wasm kernels replaced while enabled, to put back on disable. */
let originals: KernelConfig[] | null = null;
let activeInfo: BlasInfo | null = null;

/** Run one product through sgemm; null when the original kernel must take it. */
function runBlas(
  addon: BlasAddon, backendArg: unknown, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean,
  bias: TensorInfo | undefined, activation: number, alpha: number,
): TensorInfo | null {
  const backend = asHeapBackend(backendArg);
  const p = plan(a, b, transposeA, transposeB);
  if (!backend || !p) return null;
  if (bias && (bias.dtype !== 'float32' || bias.shape.length !== 1 || (bias.shape[0] !== p.n && bias.shape[0] !== 1))) return null;
  const out = writeOutputs(backend, [p.outShape], bias ? [a, b, bias] : [a, b], ([va, vb, vbias], [vc]) =>
    addon.sgemm(va!, vb!, vc!, p.batch, p.m, p.n, p.k, transposeA, transposeB, p.aBatched, p.bBatched, vbias ?? null, activation, alpha))?.[0];
  if (!out) return null;
  counters.blas++;
  return out;
}

type KernelArgs = { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap };

function wrapBatchMatMul(addon: BlasAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as KernelArgs;
    const out = inputs.a && inputs.b
      ? runBlas(addon, backend, inputs.a, inputs.b, attrs?.transposeA === true, attrs?.transposeB === true, undefined, 0, 0)
      : null;
    if (out) return out;
    counters.fallback++;
    return original(args);
  };
}

function wrapFusedMatMul(addon: BlasAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as KernelArgs;
    const activation = ACTIVATIONS[String(attrs?.activation ?? 'linear')];
    const alpha = typeof attrs?.leakyreluAlpha === 'number' ? attrs.leakyreluAlpha : 0.2;
    const out = inputs.a && inputs.b && activation !== undefined && !inputs.preluActivationWeights
      ? runBlas(addon, backend, inputs.a, inputs.b, attrs?.transposeA === true, attrs?.transposeB === true, inputs.bias, activation, alpha)
      : null;
    if (out) return out;
    counters.fallback++;
    return original(args);
  };
}

/**
 * The TF.js environment flag that tells model code (@affectzoo/heads) the wasm backend's products
 * now take transposed operands at full speed, so TF.js's own MatMul gradients are the fast path.
 */
export const FAST_TRANSPOSED_MATMUL_FLAG = 'AFFECTZOO_FAST_TRANSPOSED_MATMUL';

function setFastTransposedFlag(value: boolean): void {
  const env = tf.env();
  try {
    env.get(FAST_TRANSPOSED_MATMUL_FLAG);
  } catch {
    // Evaluated from the real state, so a `tf.env().reset()` cannot make it lie.
    env.registerFlag(FAST_TRANSPOSED_MATMUL_FLAG, () => originals !== null);
  }
  env.set(FAST_TRANSPOSED_MATMUL_FLAG, value);
}

export interface BlasStatus {
  /** Whether the wasm backend's matrix products now run on OpenBLAS. */
  enabled: boolean;
  /** Why not, when not; "OpenBLAS <core>" when enabled. */
  reason: string;
  info: BlasInfo | null;
}

export interface EnableBlasOptions {
  /** OpenBLAS threads (default: OpenBLAS's own, i.e. OPENBLAS_NUM_THREADS or the core count). */
  threads?: number;
}

/**
 * Route the wasm backend's BatchMatMul and _FusedMatMul through OpenBLAS, its Sum and Mean over
 * leading axes, Identity and Tanh through the addon's cheaper versions, and register the optimizer update
 * kernels, when the addon is built; otherwise leave TF.js untouched and say why. Idempotent; call before or after
 * `tf.setBackend('wasm')` (needs @tensorflow/tfjs-backend-wasm imported, which registers them).
 */
export function enableWasmBlas(options: EnableBlasOptions = {}): BlasStatus {
  const loaded = loadAddon();
  if (!loaded.addon) return { enabled: false, reason: loaded.error, info: null };
  const addon = loaded.addon;
  if (options.threads !== undefined) addon.setThreads(options.threads);
  if (originals) {
    activeInfo = addon.info();
    return { enabled: true, reason: `OpenBLAS ${activeInfo.coreName}`, info: activeInfo };
  }
  const wrappers: [string, (addon: BlasAddon, original: KernelFunc) => KernelFunc][] = [
    [BatchMatMul, wrapBatchMatMul], [_FusedMatMul, wrapFusedMatMul], [Sum, wrapSum], [Mean, wrapMean], [Identity, wrapIdentity],
    [Tanh, wrapTanh],
  ];
  // getKernel's type says KernelConfig, but it returns undefined for an unregistered kernel.
  const configs = wrappers.map(([name]) => tf.getKernel(name, 'wasm') as KernelConfig | undefined);
  if (configs.some((c) => c === undefined)) {
    return { enabled: false, reason: 'the TF.js wasm backend is not registered (import @tensorflow/tfjs-backend-wasm first)', info: null };
  }
  originals = configs as KernelConfig[];
  // The original setupFunc stays: it prepares the wasm kernel the fallback calls, and runs again
  // if the backend is re-created.
  originals.forEach((config, i) => {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: wrappers[i]![1](addon, config.kernelFunc) });
  });
  registerUpdateKernels(addon);
  setFastTransposedFlag(true);
  activeInfo = addon.info();
  return { enabled: true, reason: `OpenBLAS ${activeInfo.coreName}`, info: activeInfo };
}

/** Put TF.js wasm's own kernels back. */
export function disableWasmBlas(): void {
  if (!originals) return;
  for (const config of originals) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  unregisterUpdateKernels();
  originals = null;
  activeInfo = null;
  setFastTransposedFlag(false);
}

export function wasmBlasEnabled(): boolean {
  return originals !== null;
}

/** How many products took each path since the last reset (tests and benchmarks check the BLAS path really ran). */
export function wasmBlasCounters(reset = false): BlasCounters {
  const snapshot = { ...counters };
  if (reset) counters.blas = counters.fallback = 0;
  return snapshot;
}
