#!/usr/bin/env node
// Training throughput of each head at batch 256 (forward + backward + optimizer update, samples/s)
// on TF.js, next to PyTorch training the same head on the same CPU in the same run, and one SAM
// step against one plain step. A benchmark, not a test: run after `npm run build`, with
//   npm run bench -w @affectzoo/heads [-- --backend wasm|cpu|tensorflow --dim 1288 --steps 5 --seconds 1 --rounds 2
//     --torch auto|on|off --torch-threads N --blas auto|on|off --competition]
//
// What each figure is compared against:
// - Each head's TF.js samples/s is compared with PyTorch (bench/torch_reference.py, a child
//   process) training the PyTorch equivalent of that head: same layer sizes and ops, same loss,
//   optimizer and hyper-parameters, same batch, random features of the same size and the same
//   labels. The ratio printed is TF.js / PyTorch. The machine is shared and noisy, so the two
//   engines take turns head by head for --rounds rounds, and the best round of each is compared.
// - The SAM line compares a SAM step (two forward/backward passes) with a plain SGD-momentum step
//   of the same ANFL head, for each engine.
// - DESIGN.md's figures (MLP: PyTorch 8,249, TF.js wasm 113 samples/s) come from another machine
//   (AVX-512); only the ratio carries over between machines.
// PyTorch comes from the python in AFFECTZOO_TORCH_PYTHON, else the first of `python3` and
// `/usr/bin/python3` that imports torch (Debian: apt-get install -y python3-torch). Without one
// the PyTorch column is skipped with one line saying why (--torch on makes that an error).
// --blas (wasm only; default AFFECTZOO_TFJS_BLAS, else auto) runs the wasm backend's matrix
// products on OpenBLAS through @affectzoo/tfjs-blas (auto: when its addon is built).
// --competition adds the ANFL head at the competition size (hidden = feature size; minutes per
// step on wasm). The wasm and tfjs-node backends and @affectzoo/tfjs-blas are resolved from the
// workspace (they are not dependencies of this package).
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { PlainStep, Sam, Adam, Sgd } from '@affectzoo/optim-sam';
import {
  AnflHead, Dense, ExpressionHead, ForwardContext, MultiHead, ParamStore, VaHead, applyBatchStats, batchLabels,
  weightedAsymmetricLoss, weightedCrossEntropy, cccLoss,
} from '../dist/index.js';

const { values } = parseArgs({ options: {
  backend: { type: 'string', default: 'wasm' }, dim: { type: 'string', default: '1288' },
  steps: { type: 'string', default: '5' }, seconds: { type: 'string', default: '1' }, batch: { type: 'string', default: '256' },
  rounds: { type: 'string', default: '2' },
  torch: { type: 'string', default: 'auto' }, 'torch-threads': { type: 'string' },
  blas: { type: 'string', default: process.env.AFFECTZOO_TFJS_BLAS ?? 'auto' },
  competition: { type: 'boolean', default: false },
} });

/** A usage or setup error: one line and exit 1 (the wasm backend turns a thrown error into a stack dump). */
function fail(message) {
  console.error(`train-bench: ${message}`);
  process.exit(1);
}

for (const flag of ['torch', 'blas']) {
  if (!['auto', 'on', 'off'].includes(values[flag])) fail(`--${flag} must be auto, on or off (got ${values[flag]})`);
}
const D = Number(values.dim);
const B = Number(values.batch);
const STEPS = Number(values.steps);
const SECONDS = Number(values.seconds);
const ROUNDS = Number(values.rounds);
const TORCH_THREADS = values['torch-threads'] === undefined ? undefined : Number(values['torch-threads']);

// --- TF.js backend and (wasm only) OpenBLAS ---

async function setUpBackend(name) {
  const require = createRequire(import.meta.url);
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
  } else if (name === 'tensorflow') {
    await import('@tensorflow/tfjs-node');
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  await tf.setBackend(name);
  await tf.ready();
}

function backendDescription() {
  if (tf.getBackend() !== 'wasm') return tf.getBackend();
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'simd' : 'no simd';
  const threads = tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT') ? 'multithreaded' : 'one thread';
  return `wasm (${simd}, ${threads})`;
}

/**
 * OpenBLAS for the wasm backend's matrix products (@affectzoo/tfjs-blas, resolved from the
 * workspace like the wasm backend). Returns its status line and a function counting the products
 * that took each path, so the report can show the OpenBLAS path really ran. Only `--blas on`
 * turns a missing addon into an error.
 */
async function setUpBlas(mode) {
  const none = { line: '', counters: null };
  if (tf.getBackend() !== 'wasm') return { ...none, line: `n/a (backend ${tf.getBackend()})` };
  if (mode === 'off') return { ...none, line: 'off (--blas off)' };
  let blas;
  try {
    blas = await import('@affectzoo/tfjs-blas');
  } catch (e) {
    const reason = `@affectzoo/tfjs-blas does not load (${String(e.message).split('\n')[0]}); build it with npm run build -w @affectzoo/tfjs-blas`;
    if (mode === 'on') fail(`--blas on: ${reason}`);
    return { ...none, line: `not used: ${reason}` };
  }
  const status = blas.enableWasmBlas();
  if (!status.enabled) {
    if (mode === 'on') fail(`--blas on: ${status.reason}`);
    return { ...none, line: `not used (${status.reason})` };
  }
  blas.wasmBlasCounters(true);
  const { config, coreName, threads, vectorTanh } = status.info;
  return { line: `on (${config}; core ${coreName}; ${threads} threads; tanh ${vectorTanh ? 'libmvec AVX2' : 'scalar'})`, counters: () => blas.wasmBlasCounters() };
}

// --- The PyTorch reference: a child process, one JSON line per request and per answer ---

const TORCH_SCRIPT = fileURLToPath(new URL('./torch_reference.py', import.meta.url));
const TORCH_HINT = 'install it with `apt-get install -y python3-torch` (Debian; /usr/bin/python3 then has it) ' +
  'or set AFFECTZOO_TORCH_PYTHON to a python that imports torch';

class TorchReference {
  constructor(python, child, lines, info, stderr) {
    Object.assign(this, { python, child, lines, info, stderr });
  }

  /** Spawn torch_reference.py with `python`; resolves once it says torch is loaded, else rejects with why. */
  static async start(python) {
    const child = spawn(python, [TORCH_SCRIPT], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stderr = { text: '' };
    child.stderr.on('data', (d) => { stderr.text = (stderr.text + d).slice(-2000); });
    let spawnError = null;
    child.on('error', (e) => { spawnError = e; });
    child.stdin.on('error', () => {}); // a dead child shows up as the end of its output
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done) throw new Error(spawnError ? spawnError.code ?? spawnError.message : lastLine(stderr.text) || 'exited without output');
    const hello = JSON.parse(first.value);
    if (!hello.ready) {
      child.stdin.end();
      throw new Error(hello.error);
    }
    return new TorchReference(python, child, lines, hello, stderr);
  }

  /** Train one head for `steps` timed steps (the first request per head also builds and warms it up). */
  async run(request) {
    this.child.stdin.write(JSON.stringify(request) + '\n');
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`the PyTorch reference exited: ${lastLine(this.stderr.text) || 'no message'}`);
    const answer = JSON.parse(value);
    if (answer.error) throw new Error(answer.error);
    return { rate: answer.samples_per_s, msPerStep: answer.ms_per_step };
  }

  /** Torch's version and threads; OpenBLAS's threads too, which torch.set_num_threads does not set (Debian's torch multiplies on OpenBLAS). */
  describe() {
    const { torch, threads, blas } = this.info;
    const blasName = blas.name === 'OpenBLAS' ? `OpenBLAS ${blas.core}` : `BLAS ${blas.name}`;
    const threadLine = TORCH_THREADS === undefined
      ? `${threads} intra-op thread${threads === 1 ? '' : 's'} (torch's default), ${blasName} with ${blas.threads ?? '?'} threads (its own default)`
      : `${TORCH_THREADS} intra-op and ${blasName} threads (--torch-threads; the defaults are ${threads} and ${blas.threads ?? '?'})`;
    return `PyTorch ${torch} (${this.python}): ${threadLine}`;
  }

  async close() {
    this.child.stdin.end();
    if (this.child.exitCode === null) await new Promise((resolve) => this.child.once('close', resolve));
  }
}

function lastLine(text) {
  return text.trim().split('\n').pop() ?? '';
}

/** The first python that imports torch (AFFECTZOO_TORCH_PYTHON alone when set), or why there is none. */
async function startTorch(mode) {
  if (mode === 'off') return { torch: null, line: 'PyTorch reference: off (--torch off)' };
  const fromEnv = process.env.AFFECTZOO_TORCH_PYTHON;
  const candidates = fromEnv ? [fromEnv] : ['python3', '/usr/bin/python3'];
  const failures = [];
  for (const python of candidates) {
    try {
      const torch = await TorchReference.start(python);
      return { torch, line: torch.describe() };
    } catch (e) {
      failures.push(`${fromEnv ? 'AFFECTZOO_TORCH_PYTHON=' : ''}${python}: ${e.message}`);
    }
  }
  const reason = `no python with torch (${failures.join('; ')}); ${TORCH_HINT}`;
  if (mode === 'on') fail(`--torch on, but ${reason}`);
  return { torch: null, line: `PyTorch reference skipped: ${reason}` };
}

// --- The TF.js cases ---

await setUpBackend(values.backend);
const blas = await setUpBlas(values.blas);
const { torch: startedTorch, line: torchLine } = await startTorch(values.torch);
let torch = startedTorch;

const x = tf.randomNormal([B, D], 0, 1, 'float32', 1);
const rows = Array.from({ length: B }, (_, i) => ({
  image: '', valence: (i % 7) / 7 - 0.5, arousal: (i % 5) / 5 - 0.5, expression: i % 8,
  aus: Array.from({ length: 12 }, (_, j) => ((i + j) % 3 === 0 ? 1 : 0)),
}));
const y = batchLabels(rows);
const auLoss = weightedAsymmetricLoss(new Array(12).fill(1));
const exLoss = weightedCrossEntropy(new Array(8).fill(1));
const vaLoss = cccLoss();
const au = (o) => auLoss(o, y);

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
  dispose() {
    this.store.dispose();
  }
}

const adam = () => new PlainStep('adamw', new Adam(1e-3, 0.01, true));
const sgd = () => new PlainStep('sgd', new Sgd(1e-3, 0.9, 1 / 256));
const sam = () => new Sam(new Sgd(1e-3, 0.9, 1 / 256), { rho: 0.05, adaptive: false });

// The plain and the SAM ANFL cases train the same module (each with its own optimizer), and its
// untrained inference outputs are the frozen AU head the expression case reads.
const anfl32 = new AnflHead(D, { hiddenSize: 32, k: 4, metric: 'dots', dropout: 0.5 }, 1);
const frozenAus = tf.keep(anfl32.forward(x, {}, new ForwardContext(false)).au);

/**
 * Each case: a TF.js module (built on first use), its loss and optimizer, and `torch`, the
 * request that names the same head in torch_reference.py.
 */
const cases = [
  { name: `MLP ${D}->5152->20 (DESIGN.md's benchmark), AdamW`, torch: { head: 'mlp' },
    module: () => new Mlp(), loss: (o) => tf.add(au(o), exLoss(o, y)), optimizer: adam },
  { name: 'va (Dense + BN + tanh), SGD momentum', torch: { head: 'va' },
    module: () => new VaHead(D, { dropout: 0, batchNorm: true }, 1), loss: (o) => vaLoss(o, y), optimizer: sgd },
  { name: 'multihead linear, AdamW', torch: { head: 'multihead' },
    module: () => new MultiHead(D, { hidden: 0, dropout: 0, init: 'fan-in' }, 1),
    loss: (o) => tf.addN([au(o), exLoss(o, y), vaLoss(o, y)]), optimizer: adam },
  { name: 'expression + cross attention (AU head frozen), SGD momentum', torch: { head: 'expression', hidden: 32 },
    module: () => new ExpressionHead(D, { dropout: 0, attention: true, attentionSize: 64 }, 1),
    loss: (o) => exLoss(o, y), optimizer: sgd, prior: () => ({ au: frozenAus }) },
  { id: 'plain', name: 'anfl hidden 32, SGD momentum', torch: { head: 'anfl', hidden: 32 },
    module: () => anfl32, shared: true, loss: au, optimizer: sgd },
  { id: 'sam', name: 'anfl hidden 32, SAM(SGD momentum)', torch: { head: 'anfl-sam', hidden: 32 },
    module: () => anfl32, shared: true, loss: au, optimizer: sam },
];
if (values.competition) {
  cases.push({ name: `anfl hidden ${D} (competition size), SAM(SGD momentum)`, torch: { head: 'anfl-sam', hidden: D },
    module: () => new AnflHead(D, { k: 4, metric: 'dots', dropout: 0.5 }, 1), loss: au, optimizer: sam });
}

/**
 * Build a case's TF.js module and optimizer, and run one untimed warm-up step (kernel compilation,
 * optimizer slots). Kept for all rounds, as the PyTorch side keeps its models.
 */
function tfStepper(c) {
  const module = c.module();
  const vars = module.params.filter((p) => p.trainable).map((p) => p.variable);
  const optimizer = c.optimizer();
  optimizer.prepare(vars);
  const prior = c.prior ?? (() => ({}));
  const step = () => {
    const stats = [];
    const l = optimizer.step((pass) => tf.tidy(() => {
      // Batch-norm statistics are collected on the first pass only (SAM's second is perturbed).
      const ctx = new ForwardContext(true, 1, pass === 0 ? stats : null);
      return c.loss(module.forward(x, prior(), ctx));
    }), vars);
    applyBatchStats(stats);
    l.dataSync();
    l.dispose();
  };
  step();
  return { step, dispose: () => { optimizer.dispose(); if (!c.shared) module.dispose(); } };
}

/**
 * At least STEPS steps and SECONDS seconds (a small head's step takes milliseconds, and a few of
 * them would measure the other engine's threads winding down), after one untimed step.
 */
function timeTf(stepper) {
  stepper.step();
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  let steps = 0;
  while (steps < STEPS || performance.now() - t0 < 1000 * SECONDS) {
    stepper.step();
    steps++;
  }
  const s = (performance.now() - t0) / 1000;
  return { rate: (B * steps) / s, msPerStep: (1000 * s) / steps, leaked: tf.memory().numTensors - before };
}

/** PyTorch's timing of the same case, or null once the reference is gone (it is then dropped, with a line). */
async function timeTorch(c) {
  if (!torch) return null;
  try {
    return await torch.run({ ...c.torch, steps: STEPS, seconds: SECONDS, batch: B, dim: D, threads: TORCH_THREADS });
  } catch (e) {
    console.log(`PyTorch reference failed on "${c.name}" (${e.message}); continuing with TF.js alone`);
    await torch.close().catch(() => {});
    torch = null;
    return null;
  }
}

// --- Report ---

const NAME_WIDTH = 60;
const rate = (t) => `${t.rate.toFixed(0).padStart(7)} samples/s ${t.msPerStep.toFixed(0).padStart(6)} ms/step`;
const best = (list) => (list.length ? list.reduce((a, b) => (b.rate > a.rate ? b : a)) : null);
const loadLine = () => loadavg().map((l) => l.toFixed(2)).join(' ');

console.log(`CPU ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, load average ${loadLine()} (1, 5, 15 min)`);
console.log(`Node ${process.version}, tfjs-core ${tf.version_core}, backend ${backendDescription()}`);
console.log(`OpenBLAS for TF.js wasm: ${blas.line}`);
console.log(torchLine);
console.log(`features ${D}, batch ${B}; ${ROUNDS} round${ROUNDS === 1 ? '' : 's'} of at least ${STEPS} timed steps and ${SECONDS} s per head` +
  (torch ? ' and engine, TF.js and PyTorch taking turns' : ', TF.js only') + ' (one untimed step before each)\n');

const results = cases.map(() => ({ tfjs: [], torch: [] }));
const steppers = new Map();
for (let r = 0; r < ROUNDS; r++) {
  for (const [i, c] of cases.entries()) {
    if (!steppers.has(c)) steppers.set(c, tfStepper(c));
    // Which engine goes first swaps every round, so neither always runs in the other's wake
    // (OpenBLAS threads spinning down, caches, a neighbour's load).
    const order = r % 2 === 0 ? ['tfjs', 'torch'] : ['torch', 'tfjs'];
    for (const engine of order) {
      const t = engine === 'tfjs' ? timeTf(steppers.get(c)) : await timeTorch(c);
      if (t) results[i][engine].push(t);
    }
    const tfjs = results[i].tfjs.at(-1);
    const pt = torch ? results[i].torch.at(-1) : null;
    const leak = tfjs.leaked ? `  (LEAK ${tfjs.leaked} tensors)` : '';
    console.log(`round ${r + 1}  ${c.name.padEnd(NAME_WIDTH)} TF.js ${rate(tfjs)}${pt ? `  PyTorch ${rate(pt)}` : ''}${leak}`);
  }
}

console.log(`\n${`best of ${ROUNDS} round${ROUNDS === 1 ? '' : 's'}`.padEnd(NAME_WIDTH + 4)} TF.js samples/s  PyTorch samples/s  TF.js/PyTorch`);
for (const [i, c] of cases.entries()) {
  const tfjs = best(results[i].tfjs);
  const pt = best(results[i].torch);
  const ratio = pt ? `${(tfjs.rate / pt.rate).toPrecision(2)}x` : '-';
  console.log(`${c.name.padEnd(NAME_WIDTH + 4)} ${tfjs.rate.toFixed(0).padStart(15)} ${(pt ? pt.rate.toFixed(0) : '-').padStart(18)} ${ratio.padStart(14)}`);
}

// A SAM step against a plain step of the same ANFL head: how much SAM's second pass costs.
const samCost = (engine) => {
  const plain = best(results[cases.findIndex((c) => c.id === 'plain')][engine]);
  const withSam = best(results[cases.findIndex((c) => c.id === 'sam')][engine]);
  return plain && withSam ? `${(plain.rate / withSam.rate).toFixed(2)}x the time` : null;
};
const torchSam = samCost('torch');
console.log(`SAM step / plain step: ${samCost('tfjs')} on TF.js${torchSam ? `, ${torchSam} on PyTorch` : ''}`);
if (blas.counters) {
  const { blas: onBlas, fallback } = blas.counters();
  console.log(`TF.js matrix products on OpenBLAS: ${onBlas}, on the wasm kernel: ${fallback}`);
}
console.log(`load average at the end ${loadLine()}`);

for (const s of steppers.values()) s.dispose();
anfl32.dispose();
tf.dispose([x, frozenAus, ...Object.values(y)]);
await torch?.close();
