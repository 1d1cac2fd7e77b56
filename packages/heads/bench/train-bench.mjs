#!/usr/bin/env node
// Training throughput of each head at batch 256 (forward + backward + update, samples/s), and one
// SAM step against one plain step. A benchmark, not a test: run after `npm run build`, with
//   npm run bench -w @affectzoo/heads [-- --backend wasm|cpu|tensorflow --dim 1288 --steps 5 --competition]
// (--competition adds the ANFL head at the competition size: minutes per step on wasm).
// The wasm and tfjs-node backends are resolved from the workspace (they are not dependencies of
// this package). Figures compare against DESIGN.md: PyTorch 8,249 samples/s and TF.js wasm 113 on
// the MLP 1288 -> 5152 -> 20 (same 2-core machine).
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { createRegistry } from '@affectzoo/core';
import { PlainStep, Sam, Adam, Sgd } from '@affectzoo/optim-sam';
import {
  AnflHead, Dense, ExpressionHead, ForwardContext, MultiHead, ParamStore, VaHead, applyBatchStats, batchLabels,
  weightedAsymmetricLoss, weightedCrossEntropy, cccLoss,
} from '../dist/index.js';

const { values } = parseArgs({ options: {
  backend: { type: 'string', default: 'wasm' }, dim: { type: 'string', default: '1288' },
  steps: { type: 'string', default: '5' }, batch: { type: 'string', default: '256' },
  competition: { type: 'boolean', default: false },
} });
const require = createRequire(import.meta.url);
if (values.backend === 'wasm') {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
} else if (values.backend === 'tensorflow') {
  await import('@tensorflow/tfjs-node');
} else {
  await import('@tensorflow/tfjs-backend-cpu');
}
await tf.setBackend(values.backend);
await tf.ready();
void createRegistry;

const D = Number(values.dim);
const B = Number(values.batch);
const STEPS = Number(values.steps);
const x = tf.randomNormal([B, D], 0, 1, 'float32', 1);
const rows = Array.from({ length: B }, (_, i) => ({
  image: '', valence: (i % 7) / 7 - 0.5, arousal: (i % 5) / 5 - 0.5, expression: i % 8,
  aus: Array.from({ length: 12 }, (_, j) => ((i + j) % 3 === 0 ? 1 : 0)),
}));
const y = batchLabels(rows);
const auLoss = weightedAsymmetricLoss(new Array(12).fill(1));
const exLoss = weightedCrossEntropy(new Array(8).fill(1));
const vaLoss = cccLoss();

class Mlp {
  constructor() {
    this.store = new ParamStore('mlp', 1);
    this.a = new Dense(this.store, 'a', D, 5152, { activation: 'relu' });
    this.b = new Dense(this.store, 'b', 5152, 20);
    this.params = this.store.params;
  }
  forward(input, _prior, ctx) {
    const o = this.b.apply(this.a.apply(input, ctx), ctx);
    return { au: tf.sigmoid(tf.slice(o, [0, 0], [-1, 12])), expression: tf.slice(o, [0, 12], [-1, 8]) };
  }
}

function measure(name, module, loss, optimizer, prior = () => ({})) {
  const vars = module.params.filter((p) => p.trainable).map((p) => p.variable);
  optimizer.prepare(vars);
  const step = () => {
    const stats = [];
    const l = optimizer.step((pass) => tf.tidy(() => {
      const ctx = new ForwardContext(true, 1, pass === 0 ? stats : null);
      return loss(module.forward(x, prior(), ctx));
    }), vars);
    applyBatchStats(stats);
    l.dataSync();
    l.dispose();
  };
  step(); // warm-up: kernel compilation, slot allocation
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  const s = (performance.now() - t0) / 1000;
  const leaked = tf.memory().numTensors - before;
  const rate = (B * STEPS) / s;
  console.log(`${name.padEnd(44)} ${rate.toFixed(0).padStart(7)} samples/s  ${(1000 * s / STEPS).toFixed(0).padStart(6)} ms/step${leaked ? `  (LEAK ${leaked} tensors)` : ''}`);
  optimizer.dispose();
  return rate;
}

const adam = () => new PlainStep('adamw', new Adam(1e-3, 0.01, true));
const sgd = () => new PlainStep('sgd', new Sgd(1e-3, 0.9, 1 / 256));
const sam = () => new Sam(new Sgd(1e-3, 0.9, 1 / 256), { rho: 0.05, adaptive: false });
const au = (o) => auLoss(o, y);

console.log(`backend ${tf.getBackend()}, features ${D}, batch ${B}, ${STEPS} timed steps after one warm-up`);
const mlp = new Mlp();
measure(`MLP ${D}->5152->20 (DESIGN.md's benchmark), AdamW`, mlp, (o) => tf.add(au(o), exLoss(o, y)), adam());
mlp.store.dispose();
const va = new VaHead(D, { dropout: 0, batchNorm: true }, 1);
measure('va (Dense + BN + tanh), SGD', va, (o) => vaLoss(o, y), sgd());
const multi = new MultiHead(D, { hidden: 0, dropout: 0, init: 'fan-in' }, 1);
measure('multihead linear, AdamW', multi, (o) => tf.addN([au(o), exLoss(o, y), vaLoss(o, y)]), adam());
const anflSmall = new AnflHead(D, { hiddenSize: 32, k: 4, metric: 'dots', dropout: 0.5 }, 1);
const ex = new ExpressionHead(D, { dropout: 0, attention: true, attentionSize: 64 }, 1);
const frozenAus = tf.keep(anflSmall.forward(x, {}, new ForwardContext(false)).au);
measure('expression + cross attention (AU head frozen), SGD', ex, (o) => exLoss(o, y), sgd(), () => ({ au: frozenAus }));
const plain = measure('anfl hidden 32, SGD momentum', anflSmall, au, sgd());
const withSam = measure('anfl hidden 32, SAM(SGD momentum)', anflSmall, au, sam());
console.log(`SAM step / plain step: ${(plain / withSam).toFixed(2)}x the time`);
if (values.competition) {
  const anflBig = new AnflHead(D, { k: 4, metric: 'dots', dropout: 0.5 }, 1);
  measure(`anfl hidden ${D} (competition size), SAM(SGD momentum)`, anflBig, au, sam());
}
