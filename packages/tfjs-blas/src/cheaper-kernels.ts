/**
 * Wasm kernels that TF.js training runs on every weight or activation and that cost more than
 * they need to once the products are native:
 * - `Sum` and `Mean` over leading axes (a Dense layer's bias gradient sums dy over the batch;
 *   batch norm averages over it): wasm transposes the whole tensor first, then reduces rows; the
 *   addon reduces columns in place, in the same order per output, so the results are identical.
 * - `Tanh`: wasm's is a scalar libm call; the addon runs glibc's vectorised tanhf (libmvec, 8 at a
 *   time, ~20x faster), within 2 ulps of the exact value: results may differ from wasm's in the
 *   last bits.
 * - `Identity` (the engine clones every tensor it saves for the backward pass): wasm copies the
 *   bytes; here it shares them by reference count, as TF.js's cpu backend and wasm's own Reshape
 *   do. No TF.js kernel writes into its inputs, so a shared buffer is never changed.
 */
import { util, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BlasAddon } from './addon.js';
import { asHeapBackend, writeOutputs } from './heap.js';

type KernelArgs = { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap };

/** How many leading axes `axis` names (0 when it is not exactly some leading axes and not all). */
function leadingAxes(axis: unknown, shape: number[]): number {
  if (typeof axis !== 'number' && !Array.isArray(axis)) return 0;
  let axes: number[];
  try {
    // Not sorted: wasm sums [1, 0] in another order than [0, 1], and the results stay bit-identical
    // only for the order it would use itself.
    axes = util.parseAxisParam(axis as number | number[], shape);
  } catch {
    return 0; // the original kernel reports a bad axis with its own message
  }
  const leading = axes.every((a, i) => a === i) ? axes.length : 0;
  return leading < shape.length ? leading : 0;
}

type ColumnReduce = (x: Float32Array, out: Float32Array, rows: number, cols: number) => void;

function reduceColumns(reduce: ColumnReduce, backendArg: unknown, x: TensorInfo, axis: unknown, keepDims: boolean): TensorInfo | null {
  const backend = asHeapBackend(backendArg);
  const lead = leadingAxes(axis, x.shape);
  if (!backend || x.dtype !== 'float32' || lead === 0) return null;
  const rows = util.sizeFromShape(x.shape.slice(0, lead)), cols = util.sizeFromShape(x.shape.slice(lead));
  if (rows === 0 || cols === 0) return null;
  const outShape = keepDims ? [...x.shape.slice(0, lead).map(() => 1), ...x.shape.slice(lead)] : x.shape.slice(lead);
  return writeOutputs(backend, [outShape], [x], ([vx], [out]) => reduce(vx!, out!, rows, cols))?.[0] ?? null;
}

function wrapReduce(pick: (addon: BlasAddon) => ColumnReduce) {
  return (addon: BlasAddon, original: KernelFunc): KernelFunc => {
    const reduce = pick(addon).bind(addon);
    return (args) => {
      const { inputs, backend, attrs } = args as KernelArgs;
      return (inputs.x && reduceColumns(reduce, backend, inputs.x, attrs?.axis, attrs?.keepDims === true)) || original(args);
    };
  };
}

export const wrapSum = wrapReduce((addon) => addon.columnSum);
export const wrapMean = wrapReduce((addon) => addon.columnMean);

/** A float32 tensor of x's shape, computed by `map(xView, outView)`; null for the original kernel. */
function mapElements(map: (x: Float32Array, out: Float32Array) => void, backendArg: unknown, x: TensorInfo): TensorInfo | null {
  const backend = asHeapBackend(backendArg);
  if (!backend || x.dtype !== 'float32' || util.sizeFromShape(x.shape) === 0) return null;
  return writeOutputs(backend, [x.shape], [x], ([vx], [out]) => map(vx!, out!))?.[0] ?? null;
}

export function wrapTanh(addon: BlasAddon, original: KernelFunc): KernelFunc {
  const tanh = addon.tanh.bind(addon);
  return (args) => {
    const { inputs, backend } = args as KernelArgs;
    return (inputs.x && mapElements(tanh, backend, inputs.x)) || original(args);
  };
}

interface RefCounted { incRef(dataId: object): void }

export function wrapIdentity(_addon: BlasAddon, original: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend } = args as KernelArgs;
    const x = inputs.x;
    if (!x || x.dtype === 'string' || typeof (backend as Partial<RefCounted> | null)?.incRef !== 'function') return original(args);
    (backend as RefCounted).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
