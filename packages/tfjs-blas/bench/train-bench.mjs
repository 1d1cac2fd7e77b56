#!/usr/bin/env node
// Head training throughput on TF.js wasm with and without OpenBLAS, in one process (the machine
// may be shared, so the two are timed in alternating rounds and compared within this run):
//   npm run build && npm run build:native -w @affectzoo/tfjs-blas && npm run bench:blas [-- --steps 5 --rounds 3]
// The model and step are the heads benchmark's DESIGN.md MLP (1288 -> 5152 -> 20, batch 256,
// AdamW; @affectzoo/heads's Dense layers), resolved from the workspace. "blas" is everything this
// package switches on (products, optimizer updates, Sum, Identity); `npm run bench:heads` puts the
// same MLP next to PyTorch on the same CPU.
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { PlainStep, Adam } from '@affectzoo/optim-sam';
import { Dense, ForwardContext, ParamStore, batchLabels, weightedAsymmetricLoss, weightedCrossEntropy } from '@affectzoo/heads';
import { enableWasmBlas, disableWasmBlas, wasmBlasCounters } from '../dist/index.js';

const { values } = parseArgs({ options: {
  dim: { type: 'string', default: '1288' }, hidden: { type: 'string', default: '5152' },
  batch: { type: 'string', default: '256' }, steps: { type: 'string', default: '5' }, rounds: { type: 'string', default: '2' },
  threads: { type: 'string' },
} });
const D = Number(values.dim), H = Number(values.hidden), B = Number(values.batch);
const STEPS = Number(values.steps), ROUNDS = Number(values.rounds);

const require = createRequire(import.meta.url);
setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
await tf.setBackend('wasm');
await tf.ready();

const status = enableWasmBlas(values.threads ? { threads: Number(values.threads) } : {});
disableWasmBlas();
console.log(`CPU ${cpus()[0]?.model ?? '?'} x ${cpus().length}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`Node ${process.version}, tfjs ${tf.version_core} wasm (${tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'simd' : 'no simd'}, one thread)`);
console.log(`OpenBLAS: ${status.enabled ? `${status.info.config}; core ${status.info.coreName}; ${status.info.threads} threads; tanh ${status.info.vectorTanh ? 'libmvec AVX2' : 'scalar'}` : `not used (${status.reason})`}`);
console.log(`MLP ${D} -> ${H} -> 20, batch ${B}, AdamW; ${ROUNDS} rounds of ${STEPS} timed steps per path\n`);

const x = tf.randomNormal([B, D], 0, 1, 'float32', 1);
const y = batchLabels(Array.from({ length: B }, (_, i) => ({
  image: '', valence: 0, arousal: 0, expression: i % 8, aus: Array.from({ length: 12 }, (_, j) => ((i + j) % 3 === 0 ? 1 : 0)),
})));
const auLoss = weightedAsymmetricLoss(new Array(12).fill(1));
const exLoss = weightedCrossEntropy(new Array(8).fill(1));

/** A fresh model and optimizer with the same seed, so both paths train the same numbers. */
function makeStep() {
  const store = new ParamStore('mlp', 1);
  const a = new Dense(store, 'a', D, H, { activation: 'relu' });
  const b = new Dense(store, 'b', H, 20);
  const vars = store.params.filter((p) => p.trainable).map((p) => p.variable);
  const opt = new PlainStep('adamw', new Adam(1e-3, 0.01, true));
  opt.prepare(vars);
  const step = () => {
    const l = opt.step(() => tf.tidy(() => {
      const ctx = new ForwardContext(true, 1, null);
      const o = b.apply(a.apply(x, ctx), ctx);
      const out = { au: tf.sigmoid(tf.slice(o, [0, 0], [-1, 12])), expression: tf.slice(o, [0, 12], [-1, 8]) };
      return tf.add(auLoss(out, y), exLoss(out, y));
    }), vars);
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  };
  return { step, dispose: () => { opt.dispose(); store.dispose(); } };
}

/** Which kernels one training step dispatches (and how many products took the BLAS path). */
async function kernelCounts() {
  const m = makeStep();
  m.step();
  wasmBlasCounters(true);
  const info = await tf.profile(() => { m.step(); });
  const counts = {};
  for (const k of info.kernels) counts[k.name] = (counts[k.name] ?? 0) + 1;
  m.dispose();
  return { counts, paths: wasmBlasCounters(true) };
}

function timeSteps(path) {
  if (path === 'blas') enableWasmBlas(); else disableWasmBlas();
  const m = makeStep();
  const first = m.step(); // warm-up: slot allocation
  const t0 = performance.now();
  let last = first;
  for (let i = 0; i < STEPS; i++) last = m.step();
  const s = (performance.now() - t0) / 1000;
  m.dispose();
  return { rate: (B * STEPS) / s, msPerStep: (1000 * s) / STEPS, first, last };
}

if (status.enabled) {
  enableWasmBlas();
  const { counts, paths } = await kernelCounts();
  const mm = Object.entries(counts).filter(([k]) => /MatMul/.test(k)).map(([k, n]) => `${k} x${n}`).join(', ');
  console.log(`one step dispatches ${Object.values(counts).reduce((a, b) => a + b, 0)} kernels; products: ${mm}; on OpenBLAS ${paths.blas}, fallback ${paths.fallback}`);
}

const results = { wasm: [], blas: [] };
for (let r = 0; r < ROUNDS; r++) {
  for (const path of status.enabled ? ['wasm', 'blas'] : ['wasm']) {
    const t = timeSteps(path);
    results[path].push(t);
    console.log(`round ${r + 1} ${path.padEnd(4)} ${t.rate.toFixed(0).padStart(7)} samples/s ${t.msPerStep.toFixed(0).padStart(6)} ms/step  loss ${t.first.toFixed(5)} -> ${t.last.toFixed(5)}`);
  }
}
const best = (p) => Math.max(...results[p].map((t) => t.rate));
console.log(`\nbest wasm ${best('wasm').toFixed(0)} samples/s`);
if (status.enabled) {
  console.log(`best wasm + OpenBLAS ${best('blas').toFixed(0)} samples/s: ${(best('blas') / best('wasm')).toFixed(1)}x wasm ` +
    '(PyTorch on this CPU, same MLP: npm run bench:heads)');
  const dl = Math.max(...results.wasm.map((w, i) => Math.abs(w.last - (results.blas[i]?.last ?? w.last))));
  console.log(`largest difference of the last loss between the paths: ${dl.toExponential(2)}`);
}
disableWasmBlas();
tf.dispose([x, ...Object.values(y).filter((t) => t instanceof tf.Tensor)]);
