import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createRegistry } from '@affectzoo/core';
import { Adam, PlainStep, Sam, Sgd, asTfOptimizer, register } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** L(w) = 0.5 (w1^2 + 3 w2^2): gradient (w1, 3 w2). */
function quadratic(w: tf.Variable): () => tf.Scalar {
  return () => tf.tidy(() => tf.mul(0.5, tf.sum(tf.mul(tf.tensor1d([1, 3]), tf.square(w)))));
}

function close(a: ArrayLike<number>, b: number[], digits = 6): void {
  expect(a.length).toBe(b.length);
  b.forEach((x, i) => expect(a[i]).toBeCloseTo(x, digits));
}

describe('SAM on a quadratic, against the step worked out by hand', () => {
  it('SAM (rho 0.05) around SGD (lr 0.1)', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const sam = new Sam(new Sgd(0.1), { rho: 0.05, adaptive: false });
    // g = (1, 6), |g| = sqrt(37); e = 0.05 g / sqrt(37) = (0.0082199, 0.0493196)
    // g' = grad at w + e = (1.0082199, 3 * 2.0493196 = 6.1479588)
    // w' = w - 0.1 g' = (0.8991780, 1.3852041)
    const loss = sam.step(quadratic(w), [w]);
    expect(loss.dataSync()[0]).toBeCloseTo(6.5, 6); // 0.5 (1 + 12): the loss at w, not at w + e
    close(w.dataSync(), [0.899178, 1.3852041]);
    loss.dispose();
    sam.dispose();
    w.dispose();
  });

  it('leaves a variable the loss does not reach untouched (the same step as without it)', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const idle = tf.variable(tf.tensor1d([5, -5]));
    const sam = new Sam(new Sgd(0.1), { rho: 0.05, adaptive: false });
    const loss = sam.step(quadratic(w), [w, idle]);
    close(w.dataSync(), [0.899178, 1.3852041]);
    close(idle.dataSync(), [5, -5]);
    loss.dispose();
    sam.dispose();
    tf.dispose([w, idle]);
  });

  it('ASAM (rho 0.05) around SGD (lr 0.1)', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const sam = new Sam(new Sgd(0.1), { rho: 0.05, adaptive: true });
    // T = |w| = (1, 2); T g = (1, 12), |T g| = sqrt(145); e = 0.05 T^2 g / sqrt(145) = (0.0041523, 0.0996546)
    // g' = (1.0041523, 6.2989638); w' = (0.8995848, 1.3701036)
    sam.step(quadratic(w), [w]).dispose();
    close(w.dataSync(), [0.8995848, 1.3701036]);
    sam.dispose();
    w.dispose();
  });

  it('wraps a stock TF.js optimizer and leaves no tensor behind', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const sam = new Sam(tf.train.sgd(0.1), { rho: 0.05, adaptive: false });
    sam.step(quadratic(w), [w]).dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) sam.step(quadratic(w), [w]).dispose();
    expect(tf.memory().numTensors).toBe(before);
    sam.dispose();
    w.dispose();
  });

  it('tells the loss which pass it is in (batch-norm statistics move on pass 0 only)', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const passes: number[] = [];
    const sam = new Sam(new Sgd(0.1), { rho: 0.05, adaptive: false });
    const f = quadratic(w);
    sam.step((p) => { passes.push(p); return f(); }, [w]).dispose();
    expect(passes).toEqual([0, 1]);
    sam.dispose();
    w.dispose();
  });
});

describe('base optimizers, against PyTorch semantics worked out by hand', () => {
  it('SGD momentum 0.9 with coupled weight decay, two steps', () => {
    const w = tf.variable(tf.tensor1d([1, 2]));
    const opt = new PlainStep('sgd', new Sgd(0.1, 0.9, 0.5));
    opt.prepare([w]);
    // step 1: g = (1, 6) + 0.5 w = (1.5, 7); buf = g; w = (0.85, 1.3)
    opt.step(() => quadratic(w)(), [w]).dispose();
    close(w.dataSync(), [0.85, 1.3]);
    // step 2: g = (0.85, 3.9) + (0.425, 0.65) = (1.275, 4.55); buf = 0.9 (1.5, 7) + g = (2.625, 10.85)
    // w = (0.85 - 0.2625, 1.3 - 1.085) = (0.5875, 0.215)
    opt.step(() => quadratic(w)(), [w]).dispose();
    close(w.dataSync(), [0.5875, 0.215]);
    expect(opt.slots().map((s) => s.name)).toEqual(['0/momentum']);
    opt.dispose();
    w.dispose();
  });

  it('AdamW: first step moves each weight by lr (sign of g) after the decoupled decay', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const opt = new PlainStep('adamw', new Adam(0.01, 0.1, true));
    opt.prepare([w]);
    // decay: w *= 1 - 0.001 -> (0.999, -1.998); Adam step 1: m/(sqrt v) = sign(g) (up to eps), g = (1, -6)
    opt.step(() => quadratic(w)(), [w]).dispose();
    close(w.dataSync(), [0.989, -1.988], 5);
    opt.dispose();
    w.dispose();
  });
});

describe('registry', () => {
  it('creates SAM around a registered base optimizer from options', async () => {
    const registry = createRegistry();
    register(registry);
    const plugin = asTfOptimizer(await registry.create('optimizer', { name: 'sam', options: { rho: 0.05, base: { name: 'sgd', options: { momentum: 0.9 } } } }));
    const opt = plugin.create({ learningRate: 1e-3, weightDecay: 1 / 256 });
    expect(opt).toBeInstanceOf(Sam);
    opt.dispose();
    expect(() => registry.parseOptions('optimizer', { name: 'sam', options: { rho: -1 } }, 'optimizer')).toThrow(/optimizer.options.rho/);
    expect(() => registry.parseOptions('optimizer', { name: 'adam', options: { beta1: 1 } }, 'optimizer')).toThrow(/optimizer.options.beta1/); // a zero bias correction
  });
});
