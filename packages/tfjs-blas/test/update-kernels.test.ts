import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as optim from '@affectzoo/optim-sam';
import { fastTransposedMatMul } from '@affectzoo/heads';
import {
  ADAM_UPDATE_KERNEL, FAST_TRANSPOSED_MATMUL_FLAG, SGD_UPDATE_KERNEL, disableWasmBlas, enableWasmBlas, loadAddon,
} from '../src/index.js';

const addon = loadAddon();
const built = addon.addon !== null;

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  await tf.setBackend('wasm');
  await tf.ready();
});

function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return v;
}

/** Weights and optimizer state after `steps` updates with fixed gradients that change each step. */
function train(makeOptimizer: () => tf.Optimizer & optim.SlottedOptimizer, steps = 4): Float32Array[] {
  const shapes = [[37, 11], [11]];
  const vars = tf.tidy(() => shapes.map((s, i) => tf.variable(tf.tensor(values(s.reduce((a, b) => a * b, 1), 7 + i), s), true, `w${i}-${Math.random()}`)));
  const opt = makeOptimizer();
  opt.prepare(vars);
  for (let t = 0; t < steps; t++) {
    const grads = Object.fromEntries(vars.map((v, i) => [v.name, tf.tensor(values(v.size, 100 * t + i), v.shape)]));
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
  const out = [...vars, ...opt.slots().map((s) => s.variable)].map((v) => v.dataSync() as Float32Array);
  opt.dispose();
  tf.dispose(vars);
  return out;
}

const optimizers: [string, () => tf.Optimizer & optim.SlottedOptimizer][] = [
  ['AdamW', () => new optim.Adam(1e-2, 0.01, true)],
  ['Adam with L2 decay', () => new optim.Adam(1e-2, 0.05, false, 0.8, 0.99, 1e-6)],
  ['Adam without decay', () => new optim.Adam(3e-3)],
  ['SGD momentum + decay', () => new optim.Sgd(1e-2, 0.9, 1 / 256)],
  ['SGD nesterov', () => new optim.Sgd(1e-2, 0.9, 0, true)],
  ['plain SGD', () => new optim.Sgd(1e-1)],
];

describe.skipIf(!built)('the native optimizer updates', () => {
  it('run under the names @affectzoo/optim-sam looks for', () => {
    expect([ADAM_UPDATE_KERNEL, SGD_UPDATE_KERNEL]).toEqual([optim.ADAM_UPDATE_KERNEL, optim.SGD_UPDATE_KERNEL]);
    enableWasmBlas();
    expect(tf.getKernel(ADAM_UPDATE_KERNEL, 'wasm')).toBeDefined();
    disableWasmBlas();
    expect(tf.getKernel(ADAM_UPDATE_KERNEL, 'wasm') as tf.KernelConfig | undefined).toBeUndefined();
  });

  for (const [name, make] of optimizers) {
    it(`${name}: the same weights and state as the composed TF.js ops, bit for bit`, () => {
      disableWasmBlas();
      const before = tf.memory().numTensors;
      const composed = train(make);
      enableWasmBlas();
      const native = train(make);
      expect(tf.memory().numTensors).toBe(before);
      disableWasmBlas();
      expect(native.length).toBe(composed.length);
      native.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(composed[i]!)));
    });
  }

  it('refuses arrays of different lengths and outputs that overlap', () => {
    const a = addon.addon!;
    const f = () => new Float32Array(4);
    expect(() => a.adamUpdate(f(), f(), f(), new Float32Array(3), f(), f(), f(), 0, 1, 0.9, 0.1, 0.999, 0.001, 1, 1e-8, 1e-3)).toThrow(/one length/);
    const heap = new Float32Array(28);
    const at = (i: number) => heap.subarray(4 * i, 4 * i + 4);
    expect(() => a.adamUpdate(at(0), at(1), at(2), at(3), at(4), at(5), heap.subarray(18, 22), 0, 1, 0.9, 0.1, 0.999, 0.001, 1, 1e-8, 1e-3)).toThrow(/overlaps/);
    expect(() => a.sgdUpdate(f(), f(), null, f(), null, 0.1, 0.9, 0, false)).toThrow(/Float32Arrays|null/);
    expect(() => a.sgdUpdate(f(), f(), f(), f(), f(), 0.1, 0, 0, false)).toThrow(/null buffers/);
    expect(() => a.sgdUpdate(f(), f(), null, f(), null, Number.NaN, 0, 0, false)).toThrow(/finite/);
  });
});

describe('the fast-transposed-products flag the heads read', () => {
  it('is off on plain wasm and on exactly while OpenBLAS runs the products', () => {
    disableWasmBlas();
    expect(fastTransposedMatMul()).toBe(false);
    if (!built) return;
    enableWasmBlas();
    expect(tf.env().getBool(FAST_TRANSPOSED_MATMUL_FLAG)).toBe(true);
    expect(fastTransposedMatMul()).toBe(true);
    disableWasmBlas();
    expect(fastTransposedMatMul()).toBe(false);
  });
});
