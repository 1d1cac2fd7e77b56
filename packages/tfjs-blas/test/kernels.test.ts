import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Gradients are registered by a side-effect import (the trainer gets them through @affectzoo/optim-sam).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { disableWasmBlas, enableWasmBlas, loadAddon, wasmBlasCounters } from '../src/index.js';
import { asHeapBackend, writeOutputs } from '../src/heap.js';

const addon = loadAddon();
const built = addon.addon !== null;
if (!built) {
  console.warn(`@affectzoo/tfjs-blas: skipping the OpenBLAS tests, addon ${addon.error}`);
}

beforeAll(async () => {
  const require = createRequire(import.meta.url);
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  await tf.setBackend('wasm');
  await tf.ready();
});

/** Deterministic values in [-1, 1) without TF.js's RNG (the same on both paths by construction). */
function values(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    v[i] = s / 2 ** 31 - 1;
  }
  return tf.tensor(v, shape);
}

/** max |x - y| / max(1, max |y|): float32 sums in another order differ by a few ulps of the magnitude. */
function relErr(x: Float32Array, y: Float32Array): number {
  expect(x.length).toBe(y.length);
  let diff = 0, scale = 1;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(y[i]!));
  }
  return diff / scale;
}

/** f's result on TF.js's own wasm kernels and on OpenBLAS, with the number of products BLAS ran. */
function bothPaths(f: () => tf.Tensor): { wasm: Float32Array; blas: Float32Array; blasCalls: number; shapes: [number[], number[]] } {
  disableWasmBlas();
  const w = tf.tidy(f);
  expect(enableWasmBlas().enabled).toBe(true);
  wasmBlasCounters(true);
  const b = tf.tidy(f);
  const blasCalls = wasmBlasCounters(true).blas;
  const out = { wasm: w.dataSync() as Float32Array, blas: b.dataSync() as Float32Array, blasCalls, shapes: [w.shape, b.shape] as [number[], number[]] };
  w.dispose();
  b.dispose();
  return out;
}

describe.skipIf(!built)('OpenBLAS BatchMatMul / _FusedMatMul against TF.js wasm', () => {
  const cases: [string, number[], number[], boolean, boolean][] = [
    ['2-D', [5, 7], [7, 3], false, false],
    ['2-D, transposeA', [7, 5], [7, 3], true, false],
    ['2-D, transposeB', [5, 7], [3, 7], false, true],
    ['2-D, both transposed', [7, 5], [3, 7], true, true],
    ['batched', [4, 5, 7], [4, 7, 3], false, false],
    ['batched, both transposed', [4, 7, 5], [4, 3, 7], true, true],
    ['a broadcast over the batch', [1, 5, 7], [4, 7, 3], false, false],
    ['b broadcast over the batch', [4, 5, 7], [1, 3, 7], false, true],
    ['rank 4', [2, 3, 5, 7], [2, 3, 7, 4], false, false],
    ['head-sized weight gradient x^T dy', [256, 1288], [256, 64], true, false],
    ['head-sized input gradient dy W^T', [256, 64], [1288, 64], false, true],
    ['single row and column', [1, 9], [9, 1], false, false],
    ['a head output layer (under 8M multiply-adds: one thread)', [256, 1288], [1288, 12], false, false],
  ];
  for (const [name, sa, sb, ta, tb] of cases) {
    it(`tf.matMul ${name}: ${JSON.stringify(sa)} x ${JSON.stringify(sb)}`, () => {
      const r = bothPaths(() => tf.matMul(values(sa, 1), values(sb, 2), ta, tb));
      expect(r.shapes[1]).toEqual(r.shapes[0]);
      expect(r.blasCalls).toBe(1);
      expect(relErr(r.blas, r.wasm)).toBeLessThan(1e-5);
    });
  }

  it('keeps the thread count it was given across small (one-thread) and large products', () => {
    expect(enableWasmBlas({ threads: 2 }).enabled).toBe(true);
    for (const [sa, sb] of [[[256, 1288], [1288, 12]], [[256, 1288], [1288, 64]]] as [number[], number[]][]) {
      tf.tidy(() => { tf.matMul(values(sa, 1), values(sb, 2)).dataSync(); });
      expect(addon.addon!.info().threads).toBe(2);
    }
    disableWasmBlas();
  });

  it('a product of a tensor with itself (x^T x: both inputs one buffer)', () => {
    const r = bothPaths(() => { const x = values([33, 17], 3); return tf.matMul(x, x, true, false); });
    expect(r.blasCalls).toBe(1);
    expect(relErr(r.blas, r.wasm)).toBeLessThan(1e-5);
  });

  for (const activation of ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu'] as const) {
    it(`tf.fused.matMul with a bias and ${activation}`, () => {
      const r = bothPaths(() => tf.fused.matMul({
        a: tf.mul(values([16, 24], 4), 4), b: values([24, 10], 5), bias: values([10], 6), activation, leakyreluAlpha: 0.1,
      }));
      expect(r.blasCalls).toBe(1);
      expect(relErr(r.blas, r.wasm)).toBeLessThan(1e-5);
    });
  }

  it('tf.fused.matMul with a length-1 bias, transposed and batched', () => {
    const r = bothPaths(() => tf.fused.matMul({
      a: values([3, 24, 16], 7), b: values([3, 10, 24], 8), bias: tf.tensor1d([0.5]), transposeA: true, transposeB: true,
    }));
    expect(r.blasCalls).toBe(1);
    expect(relErr(r.blas, r.wasm)).toBeLessThan(1e-5);
  });

  it('leaves prelu and empty products to the wasm kernel', () => {
    const r = bothPaths(() => tf.fused.matMul({
      a: values([4, 6], 9), b: values([6, 5], 10), activation: 'prelu', preluActivationWeights: tf.fill([5], 0.3),
    }));
    expect(r.blasCalls).toBe(0);
    expect(relErr(r.blas, r.wasm)).toBe(0);
    const empty = bothPaths(() => tf.matMul(tf.zeros([0, 4]), tf.zeros([4, 3])));
    expect(empty.shapes[1]).toEqual([0, 3]);
    expect(empty.blasCalls).toBe(0);
  });

  it('gives the same gradients as wasm through tf.grads', () => {
    const f = () => {
      const g = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(tf.relu(tf.matMul(x, w))));
      const [dx, dw] = g([values([64, 40], 11), values([40, 30], 12)]);
      return tf.concat([tf.reshape(dx!, [-1]), tf.reshape(dw!, [-1])]);
    };
    const r = bothPaths(f);
    expect(r.blasCalls).toBeGreaterThanOrEqual(3);
    expect(relErr(r.blas, r.wasm)).toBeLessThan(1e-5);
  });

  it('trains a small MLP along the same loss trajectory as plain wasm', () => {
    const run = (): number[] => {
      const x = values([128, 48], 13);
      const target = values([128, 6], 14);
      const w1 = tf.variable(tf.mul(values([48, 64], 15), 0.2));
      const b1 = tf.variable(tf.zeros([64]));
      const w2 = tf.variable(tf.mul(values([64, 6], 16), 0.2));
      const opt = tf.train.adam(1e-2);
      const losses: number[] = [];
      for (let step = 0; step < 30; step++) {
        const loss = opt.minimize(() => {
          // Fused (with bias and relu) and plain products, as the heads use both.
          const h = tf.fused.matMul({ a: x, b: w1, bias: b1, activation: 'relu' });
          return tf.losses.meanSquaredError(target, tf.matMul(h, w2));
        }, true);
        losses.push(loss!.dataSync()[0]!);
        loss!.dispose();
      }
      opt.dispose();
      tf.dispose([x, target, w1, b1, w2]);
      return losses;
    };
    disableWasmBlas();
    const t0 = tf.memory().numTensors;
    const wasm = run();
    const t1 = tf.memory().numTensors;
    enableWasmBlas();
    wasmBlasCounters(true);
    const blas = run();
    expect(wasmBlasCounters().blas).toBeGreaterThan(30 * 3);
    // TF.js keeps a few tensors per training run (optimizer bookkeeping): the BLAS path adds none.
    expect(tf.memory().numTensors - t1).toBe(t1 - t0);
    expect(blas[blas.length - 1]!).toBeLessThan(0.7 * blas[0]!); // it does learn
    for (let i = 0; i < wasm.length; i++) expect(Math.abs(blas[i]! - wasm[i]!)).toBeLessThan(1e-4 * Math.max(1, wasm[i]!));
    // Deterministic: OpenBLAS splits a product over threads by output blocks, never along k.
    expect(run()).toEqual(blas);
  });
});

describe.skipIf(!built)('Sum and Mean over leading axes, Identity, Tanh', () => {
  const cases: [number[], number | number[], boolean][] = [
    [[256, 40], 0, false], [[7, 3, 5], [0, 1], false], [[7, 3, 5], 0, true], [[6, 4], -2, false],
    [[256, 12, 32], 0, true], [[33, 384], 0, false], [[6, 4], 1, false], [[6, 4], [0, 1], false],
    [[2, 3, 4], [1, 2], true], // not leading: wasm's own
    [[300, 7, 11], [1, 0], false], // leading but listed in reverse: wasm's own (it adds in another order)
  ];
  for (const [op, reduce] of [['sum', tf.sum], ['mean', tf.mean]] as const) {
    for (const [shape, axis, keepDims] of cases) {
      it(`tf.${op}(${JSON.stringify(shape)}, ${JSON.stringify(axis)}, keepDims ${keepDims}) equals wasm's, bit for bit`, () => {
        // Scaled so that sums and divisions round (values in [-1, 1) alone are too tame).
        const r = bothPaths(() => reduce(tf.mul(values(shape, 21), 3.7), axis, keepDims));
        expect(r.shapes[1]).toEqual(r.shapes[0]);
        expect(Array.from(r.blas)).toEqual(Array.from(r.wasm));
      });
    }
  }

  it("tf.tanh is glibc libmvec's tanhf, within 2 ulps of the exact value, and differentiates as before", () => {
    const x = tf.tidy(() => tf.mul(values([256, 8, 64], 9), 6)); // -6..6: saturation included
    const input = x.dataSync() as Float32Array;
    const direct = new Float32Array(input.length);
    addon.addon!.tanh(input, direct);
    expect(typeof addon.addon!.info().vectorTanh).toBe('boolean'); // which tanhf ran, for bug reports
    for (let i = 0; i < input.length; i++) {
      const exact = Math.tanh(input[i]!);
      expect(Math.abs(direct[i]! - exact)).toBeLessThanOrEqual(2 ** -22 * Math.max(Math.abs(exact), 2 ** -126));
    }
    const r = bothPaths(() => tf.tanh(x));
    expect(Array.from(r.blas)).toEqual(Array.from(direct)); // the kernel ran the addon
    expect(relErr(r.blas, r.wasm)).toBeLessThan(3e-7);
    const grad = (on: boolean) => {
      if (on) enableWasmBlas(); else disableWasmBlas();
      return tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(tf.tanh(t)))(x).dataSync() as Float32Array);
    };
    expect(relErr(grad(true), grad(false))).toBeLessThan(1e-6);
    disableWasmBlas();
    x.dispose();
  });

  it('a kernel whose native call throws leaves no output buffer behind', () => {
    const backend = asHeapBackend(tf.backend())!;
    const buffers = () => tf.backend().numDataIds(); // the backend's own count: these outputs never become tensors
    const before = buffers();
    expect(() => writeOutputs(backend, [[4], [2, 3]], [], () => { throw new Error('scalars must be finite'); })).toThrow('scalars must be finite');
    expect(buffers()).toBe(before);
  });

  it('clones share the data: disposing either leaves the other intact', () => {
    enableWasmBlas();
    const x = values([3, 4], 5);
    const expected = Array.from(x.dataSync());
    const buffers = () => (tf.memory() as tf.MemoryInfo & { numDataBuffers: number }).numDataBuffers;
    const before = buffers();
    const y = tf.clone(x);
    expect(buffers()).toBe(before); // no copy
    x.dispose();
    expect(Array.from(y.dataSync())).toEqual(expected);
    const z = tf.clone(y);
    y.dispose();
    expect(tf.tidy(() => Array.from(tf.add(z, 1).dataSync()))).toEqual(expected.map((v) => Math.fround(v + 1)));
    z.dispose();
    expect(buffers()).toBe(before - 1); // freed with its last tensor
    disableWasmBlas();
  });
});

describe.skipIf(!built)('the addon refuses what could write outside its output', () => {
  const sgemm = (a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number) =>
    addon.addon!.sgemm(a, b, c, 1, m, n, k, false, false, false, false, null, 0, 0);

  it('checks every length against the shapes', () => {
    expect(() => sgemm(new Float32Array(6), new Float32Array(6), new Float32Array(3), 2, 2, 3)).toThrow(/c's length/);
    expect(() => sgemm(new Float32Array(5), new Float32Array(6), new Float32Array(4), 2, 2, 3)).toThrow(/a's length/);
    expect(() => sgemm(new Float32Array(6), new Float32Array(7), new Float32Array(4), 2, 2, 3)).toThrow(/b's length/);
    expect(() => sgemm(new Float32Array(6), new Float32Array(6), new Float32Array(4), 2, 2, 3.5)).toThrow(/integers/);
    expect(() => sgemm(new Float32Array(0), new Float32Array(0), new Float32Array(0), 0, 0, 0)).toThrow(/integers/);
  });

  it('refuses other element types and an output that overlaps an input', () => {
    const f64 = new Float64Array(6) as unknown as Float32Array;
    expect(() => sgemm(f64, new Float32Array(6), new Float32Array(4), 2, 2, 3)).toThrow(/Float32Array/);
    const heap = new Float32Array(32);
    expect(() => sgemm(heap.subarray(0, 6), heap.subarray(6, 12), heap.subarray(10, 14), 2, 2, 3)).toThrow(/overlaps/);
    const c = heap.subarray(12, 16);
    sgemm(heap.subarray(0, 6).fill(1), heap.subarray(6, 12).fill(2), c, 2, 2, 3);
    expect(Array.from(c)).toEqual([6, 6, 6, 6]);
    expect(heap[16]).toBe(0); // nothing written past the output
  });

  it('checks the lengths and overlaps of the reductions and tanh', () => {
    const a = addon.addon!;
    expect(() => a.columnMean(new Float32Array(6), new Float32Array(2), 2, 3)).toThrow(/columnMean's lengths/);
    expect(() => a.columnSum(new Float32Array(6), new Float32Array(3), 3, 3)).toThrow(/columnSum's lengths/);
    const heap = new Float32Array(16);
    expect(() => a.columnMean(heap.subarray(0, 6), heap.subarray(4, 7), 2, 3)).toThrow(/overlaps/);
    expect(() => a.tanh(new Float32Array(4), new Float32Array(3))).toThrow(/one length/);
    expect(() => a.tanh(heap.subarray(0, 4), heap.subarray(2, 6))).toThrow(/overlaps/);
  });
});

describe('without the addon', () => {
  it.runIf(!built)('reports why and leaves TF.js on plain wasm', () => {
    const s = enableWasmBlas();
    expect(s.enabled).toBe(false);
    expect(s.reason).toMatch(/build:native/);
  });
  it.runIf(built)('(the addon is built here: nothing to check)', () => {
    expect(built).toBe(true);
  });
});
