/**
 * The optional native addon (native/tfjs_blas.c, OpenBLAS sgemm). It is built by an explicit
 * `npm run build:native`, never by `npm install`, so it may be missing: `loadAddon()` says why
 * instead of throwing, and everything falls back to TF.js's own wasm kernels.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface BlasInfo {
  /** OpenBLAS's build string, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Zen MAX_THREADS=64". */
  config: string;
  /** The kernel set OpenBLAS chose for this CPU (its own detection, or OPENBLAS_CORETYPE). */
  coreName: string;
  threads: number;
  /** Whether Tanh runs on glibc's 8-wide libmvec tanhf (false: the scalar tanhf). */
  vectorTanh: boolean;
}

export interface BlasAddon {
  /**
   * Row-major c[i] = act(op(a[i | 0]) op(b[i | 0]) + bias) for i < batch; op(a) is m x k, op(b)
   * k x n. Lengths must match the shapes exactly and c may not overlap an input (the addon checks).
   */
  sgemm(
    a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, n: number, k: number,
    transposeA: boolean, transposeB: boolean, aBatched: boolean, bBatched: boolean,
    bias: Float32Array | null, activation: number, alpha: number,
  ): void;
  /** One Adam step in a single pass (see native/tfjs_blas.c); outputs must not overlap anything. */
  adamUpdate(
    w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, wOut: Float32Array, mOut: Float32Array, vOut: Float32Array,
    weightDecay: number, decay: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number,
    sqrtBiasCorrection2: number, epsilon: number, stepSize: number,
  ): void;
  /** One SGD step in a single pass; `buf`/`bufOut` null exactly when momentum is 0. */
  sgdUpdate(
    w: Float32Array, g: Float32Array, buf: Float32Array | null, wOut: Float32Array, bufOut: Float32Array | null,
    learningRate: number, momentum: number, weightDecay: number, nesterov: boolean,
  ): void;
  /** out[c] = sum over r of x[r * cols + c], each column summed in row order. */
  columnSum(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** The column sum divided by rows (as wasm's Mean: a row-order sum, then one float division). */
  columnMean(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** out[i] = tanh(x[i]) by glibc's vectorised tanhf (scalar without AVX2 or libmvec); equal lengths, no overlap. */
  tanh(x: Float32Array, out: Float32Array): void;
  info(): BlasInfo;
  setThreads(n: number): void;
}

export type AddonStatus = { addon: BlasAddon; path: string; error: null } | { addon: null; path: string; error: string };

/** native/build/Release from both src/ (tests) and dist/ (the built package): one level below the package root. */
export const ADDON_PATH = fileURLToPath(new URL('../native/build/Release/tfjs_blas.node', import.meta.url));

let cached: AddonStatus | null = null;

const ADDON_FUNCTIONS = ['sgemm', 'adamUpdate', 'sgdUpdate', 'columnSum', 'columnMean', 'tanh', 'info', 'setThreads'];

function isAddon(m: unknown): m is BlasAddon {
  if (typeof m !== 'object' || m === null) return false;
  const r = m as Record<string, unknown>;
  return ADDON_FUNCTIONS.every((f) => typeof r[f] === 'function');
}

/** Load the addon once; a missing or broken build is reported, not thrown. */
export function loadAddon(): AddonStatus {
  if (cached) return cached;
  const path = ADDON_PATH;
  if (!existsSync(path)) {
    cached = { addon: null, path, error: `not built (${path} missing): run \`npm run build:native -w @affectzoo/tfjs-blas\` with libopenblas-dev installed` };
    return cached;
  }
  try {
    const m: unknown = createRequire(import.meta.url)(path);
    cached = isAddon(m) ? { addon: m, path, error: null } : { addon: null, path, error: `${path} does not export ${ADDON_FUNCTIONS.join('/')} (an older build? rebuild it: npm run build:native -w @affectzoo/tfjs-blas)` };
  } catch (e) {
    // E.g. libopenblas.so.0 removed after the build, or a build for another Node ABI.
    cached = { addon: null, path, error: `${path} failed to load: ${(e as Error).message}` };
  }
  return cached;
}
