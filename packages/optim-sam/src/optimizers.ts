/**
 * SGD (momentum, PyTorch semantics) and Adam / AdamW as TF.js optimizers with a settable learning
 * rate, weight decay and state slots named by variable position. TF.js ships SGD, momentum and
 * Adam, but no decoupled weight decay, no coupled weight decay, and a learning rate that cannot
 * change after construction for most of them; a schedule and resumable checkpoints need all three.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerSlot, SlottedOptimizer } from './step.js';
import { adamUpdate, sgdUpdate } from './update-kernels.js';

interface NamedTensor { name: string; tensor: tf.Tensor }
type Grads = tf.NamedTensorMap | NamedTensor[];

function gradList(grads: Grads): NamedTensor[] {
  return Array.isArray(grads) ? grads : Object.keys(grads).map((name) => ({ name, tensor: grads[name]! }));
}

/** Shared bookkeeping: the variables in `prepare` order and their slots. */
abstract class SlotOptimizer extends tf.Optimizer implements SlottedOptimizer {
  protected index = new Map<string, number>();
  protected state: tf.Variable[][] = [];

  constructor(public learningRate: number, public weightDecay: number) {
    super();
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  /** Names of the per-variable slots, e.g. `['m', 'v']`. */
  protected abstract slotNames(): string[];

  prepare(vars: readonly tf.Variable[]): void {
    this.disposeState();
    vars.forEach((v, i) => {
      this.index.set(v.name, i);
      // In a tidy: a variable keeps its own reference to the data, the zeros tensor would leak.
      this.state.push(tf.tidy(() => this.slotNames().map(() => tf.variable(tf.zerosLike(v), false))));
    });
  }

  slots(): OptimizerSlot[] {
    return this.state.flatMap((s, i) => s.map((variable, k) => ({ name: `${i}/${this.slotNames()[k]}`, variable })));
  }

  protected slotsOf(name: string): tf.Variable[] {
    const i = this.index.get(name);
    if (i === undefined) throw new Error(`${this.getClassName()}: variable ${name} was not prepared`);
    return this.state[i]!;
  }

  /** Lazily prepare when used without a trainer (as a plain tf.Optimizer). */
  protected ensure(list: NamedTensor[]): void {
    if (list.every((g) => this.index.has(g.name))) return;
    const vars = list.map((g) => tf.engine().registeredVariables[g.name]!);
    this.prepare(vars);
  }

  private disposeState(): void {
    this.state.forEach((s) => tf.dispose(s));
    this.state = [];
    this.index.clear();
  }

  override dispose(): void {
    this.disposeState();
    super.dispose();
  }

  /** One variable's update from its gradient (inside a tidy). */
  protected abstract update(w: tf.Variable, g: tf.Tensor, slots: tf.Variable[]): void;

  applyGradients(grads: Grads): void {
    const list = gradList(grads);
    this.ensure(list);
    tf.tidy(() => {
      for (const { name, tensor } of list) this.update(tf.engine().registeredVariables[name]!, tensor, this.slotsOf(name));
    });
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, weightDecay: this.weightDecay };
  }
}

/**
 * SGD as PyTorch has it: g += wd * w; buf = momentum * buf + g (buf = g on the first step, which
 * equals this when buf starts at 0 and dampening is 0); w -= lr * buf (nesterov: g + momentum * buf).
 */
export class Sgd extends SlotOptimizer {
  static readonly className = 'AffectzooSGD';

  constructor(learningRate: number, readonly momentum = 0, weightDecay = 0, readonly nesterov = false) {
    super(learningRate, weightDecay);
  }

  protected slotNames(): string[] {
    return this.momentum > 0 ? ['momentum'] : [];
  }

  override getClassName(): string {
    return Sgd.className;
  }

  protected update(w: tf.Variable, grad: tf.Tensor, slots: tf.Variable[]): void {
    const buf = this.momentum > 0 ? slots[0]! : null;
    const [w1, buf1] = sgdUpdate(w, grad, buf, {
      learningRate: this.learningRate, momentum: this.momentum, weightDecay: this.weightDecay, nesterov: this.nesterov,
    });
    w.assign(w1!);
    if (buf && buf1) buf.assign(buf1);
  }
}

/**
 * Adam (weight decay coupled: g += wd * w) or AdamW (decoupled: w -= lr * wd * w before the
 * Adam update), PyTorch's formulation: eps added to the bias-corrected sqrt(v).
 */
export class Adam extends SlotOptimizer {
  static readonly className = 'AffectzooAdam';

  constructor(learningRate: number, weightDecay = 0, readonly decoupled = false, readonly beta1 = 0.9, readonly beta2 = 0.999, readonly epsilon = 1e-8) {
    super(learningRate, weightDecay);
  }

  protected slotNames(): string[] {
    // `t` (the step count) is kept per variable so a checkpoint restores it with the moments.
    return ['m', 'v', 't'];
  }

  override prepare(vars: readonly tf.Variable[]): void {
    super.prepare(vars);
    // The step count is a scalar; replace the zeros-like placeholder.
    for (const s of this.state) {
      s[2]!.dispose();
      s[2] = tf.tidy(() => tf.variable(tf.scalar(0), false));
    }
  }

  override getClassName(): string {
    return Adam.className;
  }

  protected update(w: tf.Variable, grad: tf.Tensor, slots: tf.Variable[]): void {
    const [m, v, t] = slots as [tf.Variable, tf.Variable, tf.Variable];
    const step = t.dataSync()[0]! + 1;
    t.assign(tf.scalar(step));
    const decoupled = this.weightDecay > 0 && this.decoupled;
    const [w1, m1, v1] = adamUpdate(w, grad, m, v, {
      weightDecay: this.weightDecay > 0 && !this.decoupled ? this.weightDecay : 0,
      decay: decoupled ? 1 - this.learningRate * this.weightDecay : 1,
      beta1: this.beta1, oneMinusBeta1: 1 - this.beta1, beta2: this.beta2, oneMinusBeta2: 1 - this.beta2,
      sqrtBiasCorrection2: Math.sqrt(1 - this.beta2 ** step), epsilon: this.epsilon,
      stepSize: this.learningRate / (1 - this.beta1 ** step),
    });
    w.assign(w1!);
    m.assign(m1!);
    v.assign(v1!);
  }
}
