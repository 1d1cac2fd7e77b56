/**
 * The heads of a config, run in order on standardised features: each head reads the outputs of
 * the heads before it. Frozen heads run as at inference (no dropout, running batch-norm
 * statistics), so their statistics cannot drift while other heads train.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ComponentRef, HeadTask } from '@affectzoo/core';
import { ForwardContext } from '../layers/context.js';
import type { HeadModule, HeadOutputs, TfHeadPlugin } from '../heads/types.js';
import type { NamedArray } from './tensor-file.js';

export interface ModelHead {
  ref: ComponentRef;
  plugin: TfHeadPlugin;
}

export class HeadStack {
  readonly modules: HeadModule[];
  /**
   * Per-AU decision thresholds folded into the AU outputs by `predictFeatures` (see
   * calibration.ts), or null for none. Never applied in `forward`: training sees the raw outputs.
   */
  auThresholds: number[] | null = null;

  constructor(readonly heads: readonly ModelHead[], readonly inputSize: number, seed: number) {
    const provided = new Set<string>();
    this.modules = heads.map((h, i) => {
      for (const need of h.plugin.needs) {
        if (!provided.has(need) && !provided.has('multi')) throw new Error(`heads[${i}] (${h.plugin.name}) needs the ${need} outputs of an earlier head`);
      }
      provided.add(h.plugin.task);
      return h.plugin.build(inputSize, seed * 1000 + i);
    });
  }

  /** Indices of the heads that answer `task` (a `multi` head answers every task). */
  headsFor(task: HeadTask | 'joint'): number[] {
    return this.modules.flatMap((m, i) => (task === 'joint' || m.task === task || m.task === 'multi' ? [i] : []));
  }

  /**
   * Run the heads; those not in `trainable` (when given) run as at inference, and only when a
   * later trainable head reads earlier outputs (the VA stage skips the frozen AU and expression
   * heads, whose outputs its loss never sees).
   */
  forward(x: tf.Tensor2D, ctx: ForwardContext, trainable?: ReadonlySet<number>): HeadOutputs {
    let out: HeadOutputs = {};
    this.modules.forEach((m, i) => {
      if (!this.runs(i, trainable)) return;
      const frozen = trainable !== undefined && !trainable.has(i);
      out = { ...out, ...m.forward(x, out, frozen ? ctx.inference() : ctx) };
    });
    return out;
  }

  /** Whether head `i` runs in a step that trains `trainable`: it trains, or a later trainable head reads earlier outputs. */
  private runs(i: number, trainable?: ReadonlySet<number>): boolean {
    if (trainable === undefined || trainable.has(i)) return true;
    return [...trainable].some((t) => t > i && this.modules[t]!.needs.length > 0);
  }

  /**
   * The outputs a training step of `task` reads: the task's own and what the heads that run in
   * that step need from earlier ones (`null` for a joint step, which reads everything). Heads that
   * do not run add nothing, so a multi-task head does not run (or move the batch-norm statistics
   * of) branches no head of the stage reads.
   */
  wantedFor(task: HeadTask | 'joint'): ReadonlySet<HeadTask> | null {
    if (task === 'joint') return null;
    const trainable = new Set(this.headsFor(task));
    return new Set<HeadTask>([task, ...this.modules.flatMap((m, i) => (this.runs(i, trainable) ? m.needs : []))]);
  }

  /** Trainable variables of the given heads, in a fixed order. */
  trainableVariables(heads: Iterable<number>): tf.Variable[] {
    return [...heads].flatMap((i) => this.modules[i]!.params.filter((p) => p.trainable).map((p) => p.variable));
  }

  /** Every variable with its checkpoint name (`heads[i]/...`). */
  named(heads?: Iterable<number>): { name: string; variable: tf.Variable }[] {
    const which = heads ? [...heads] : this.modules.map((_, i) => i);
    return which.flatMap((i) => this.modules[i]!.params.map((p) => ({ name: `heads[${i}]/${p.name}`, variable: p.variable })));
  }

  /** Copies of the values (for best-checkpoint snapshots and files). */
  snapshot(heads?: Iterable<number>): NamedArray[] {
    return this.named(heads).map(({ name, variable }) => ({ name, shape: variable.shape, data: Float32Array.from(variable.dataSync()) }));
  }

  /** Load values by name; every variable of the given heads must be present. */
  load(arrays: ReadonlyMap<string, NamedArray>, heads?: Iterable<number>, prefix = ''): void {
    for (const { name, variable } of this.named(heads)) {
      const a = arrays.get(prefix + name);
      if (!a) throw new Error(`checkpoint has no ${name}`);
      if (a.data.length !== variable.size) throw new Error(`checkpoint ${name} has ${a.data.length} values, the head ${variable.size}`);
      tf.tidy(() => variable.assign(tf.tensor(a.data, variable.shape)));
    }
  }

  dispose(): void {
    for (const m of this.modules) m.dispose();
  }
}
