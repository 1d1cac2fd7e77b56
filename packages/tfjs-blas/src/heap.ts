/**
 * Access to TF.js wasm's heap: the addon reads and writes tensors in place through Float32Array
 * views of the backend's own memory, so every view is checked to lie inside the heap.
 */
import { util, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's BackendWasm this module touches (checked at run time). */
export interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
}

export function asHeapBackend(backend: unknown): WasmHeapBackend | null {
  if (typeof backend !== 'object' || backend === null) return null;
  const b = backend as Partial<Record<keyof WasmHeapBackend, unknown>>;
  const wasm = b.wasm as { HEAPU8?: unknown } | undefined;
  const map = b.dataIdMap as { get?: unknown } | undefined;
  return wasm?.HEAPU8 instanceof Uint8Array && typeof map?.get === 'function' &&
    typeof b.makeOutput === 'function' && typeof b.disposeData === 'function'
    ? (backend as WasmHeapBackend) : null;
}

/** A Float32Array over a tensor's bytes in the wasm heap, or null if it does not lie wholly inside. */
export function heapView(backend: WasmHeapBackend, heap: ArrayBuffer, t: TensorInfo): Float32Array | null {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) return null;
  const length = util.sizeFromShape(t.shape);
  const offset = data.memoryOffset;
  if (!Number.isInteger(offset) || offset <= 0 || offset % 4 !== 0 || offset + 4 * length > heap.byteLength) return null;
  return new Float32Array(heap, offset, length);
}

/**
 * New float32 tensors of `shapes`, written by `write(inputViews, outputViews)`; null, with the
 * outputs freed, when some view does not lie inside the heap (a caller then runs the original
 * kernel or throws). The views are taken after allocating, which may grow the heap and so detach
 * older views.
 */
export function writeOutputs(
  backend: WasmHeapBackend, shapes: number[][], inputs: TensorInfo[],
  write: (ins: Float32Array[], outs: Float32Array[]) => void,
): TensorInfo[] | null {
  const outs = shapes.map((shape) => backend.makeOutput(shape, 'float32'));
  const heap = backend.wasm.HEAPU8.buffer;
  const views = heap instanceof ArrayBuffer ? [...inputs, ...outs].map((t) => heapView(backend, heap, t)) : [null];
  const free = () => {
    for (const t of outs) backend.disposeData(t.dataId, true);
  };
  if (views.some((v) => v === null)) {
    free();
    return null;
  }
  const ok = views as Float32Array[];
  try {
    write(ok.slice(0, inputs.length), ok.slice(inputs.length));
  } catch (err) {
    free(); // a throwing kernel leaves nothing behind in the heap
    throw err;
  }
  return outs;
}
