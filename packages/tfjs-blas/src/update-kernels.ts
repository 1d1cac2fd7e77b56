/**
 * @affectzoo/optim-sam's optimizer updates (Adam/AdamW, SGD with momentum) as wasm kernels that
 * run one native pass over each weight tensor instead of ~14 (Adam) elementwise TF.js kernels.
 * optim-sam runs the kernel when one is registered for the current backend and its composed TF.js
 * ops otherwise; the native loop repeats those ops' float32 arithmetic in order, with every
 * scalar computed by optim-sam, so both paths give the same numbers (the tests compare them).
 */
import * as tf from '@tensorflow/tfjs-core';
import { util, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { BlasAddon } from './addon.js';
import { asHeapBackend, writeOutputs, type WasmHeapBackend } from './heap.js';

/** The names @affectzoo/optim-sam runs its updates under (its ADAM_UPDATE_KERNEL / SGD_UPDATE_KERNEL; a test checks they agree). */
export const ADAM_UPDATE_KERNEL = 'AffectzooAdamUpdate';
export const SGD_UPDATE_KERNEL = 'AffectzooSgdUpdate';

type KernelArgs = { inputs: NamedTensorInfoMap; backend: unknown; attrs?: NamedAttrMap };

function attr(kernel: string, attrs: NamedAttrMap | undefined, key: string): number {
  const v = attrs?.[key];
  if (typeof v !== 'number') throw new Error(`tfjs-blas: ${kernel} needs the numeric attribute ${key}`);
  return v;
}

/**
 * Runs `write` on views of `inputs` and of `outputs` new float32 tensors of the inputs' shape.
 * Throws (after freeing what it allocated) on anything optim-sam never sends: other dtypes,
 * mismatched shapes, a non-wasm backend. There is no TF.js kernel to fall back to under these names.
 */
function update(
  kernel: string, backendArg: unknown, inputs: TensorInfo[], outputs: number,
  write: (ins: Float32Array[], outs: Float32Array[]) => void,
): TensorInfo[] {
  const backend: WasmHeapBackend | null = asHeapBackend(backendArg);
  const shape = inputs[0]!.shape;
  if (!backend || inputs.some((t) => t.dtype !== 'float32' || !util.arraysEqual(t.shape, shape))) {
    throw new Error(`tfjs-blas: ${kernel} takes float32 tensors of one shape on the wasm backend`);
  }
  const out = writeOutputs(backend, Array.from({ length: outputs }, () => shape), inputs, write);
  if (!out) throw new Error(`tfjs-blas: ${kernel}: a tensor is not inside the wasm heap`);
  return out;
}

function adamKernel(addon: BlasAddon): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as KernelArgs;
    const a = (key: string) => attr(ADAM_UPDATE_KERNEL, attrs, key);
    const { w, g, m, v } = inputs;
    if (!w || !g || !m || !v) throw new Error(`tfjs-blas: ${ADAM_UPDATE_KERNEL} takes inputs w, g, m and v`);
    return update(ADAM_UPDATE_KERNEL, backend, [w, g, m, v], 3, (ins, outs) =>
      addon.adamUpdate(ins[0]!, ins[1]!, ins[2]!, ins[3]!, outs[0]!, outs[1]!, outs[2]!,
        a('weightDecay'), a('decay'), a('beta1'), a('oneMinusBeta1'), a('beta2'), a('oneMinusBeta2'),
        a('sqrtBiasCorrection2'), a('epsilon'), a('stepSize')));
  };
}

function sgdKernel(addon: BlasAddon): KernelFunc {
  return (args) => {
    const { inputs, backend, attrs } = args as KernelArgs;
    const momentum = attr(SGD_UPDATE_KERNEL, attrs, 'momentum');
    const { w, g, buf } = inputs;
    if (!w || !g || (momentum !== 0) !== (buf !== undefined)) {
      throw new Error(`tfjs-blas: ${SGD_UPDATE_KERNEL} takes inputs w, g and, exactly when momentum is not 0, buf`);
    }
    return update(SGD_UPDATE_KERNEL, backend, buf ? [w, g, buf] : [w, g], buf ? 2 : 1, (ins, outs) =>
      addon.sgdUpdate(ins[0]!, ins[1]!, ins[2] ?? null, outs[0]!, outs[1] ?? null,
        attr(SGD_UPDATE_KERNEL, attrs, 'learningRate'), momentum, attr(SGD_UPDATE_KERNEL, attrs, 'weightDecay'), attrs?.nesterov === true));
  };
}

export function registerUpdateKernels(addon: BlasAddon): void {
  tf.registerKernel({ kernelName: ADAM_UPDATE_KERNEL, backendName: 'wasm', kernelFunc: adamKernel(addon) });
  tf.registerKernel({ kernelName: SGD_UPDATE_KERNEL, backendName: 'wasm', kernelFunc: sgdKernel(addon) });
}

export function unregisterUpdateKernels(): void {
  tf.unregisterKernel(ADAM_UPDATE_KERNEL, 'wasm');
  tf.unregisterKernel(SGD_UPDATE_KERNEL, 'wasm');
}
