/**
 * The parameters of a head: TF.js variables with a name local to the head, so checkpoints
 * survive a restart (TF.js variable names are global to the engine and must be unique, so each
 * variable also gets a per-instance prefix).
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../rng.js';

export interface Param {
  /** Name within its model, e.g. `heads[0]/anfl/gnn/U/kernel`. */
  name: string;
  variable: tf.Variable;
  trainable: boolean;
}

let instances = 0;

/** Collects a module's variables and draws their initial values from one seeded stream. */
export class ParamStore {
  readonly params: Param[] = [];
  private readonly prefix = `az${++instances}`;
  readonly rng: Rng;

  constructor(readonly scope: string, seed: number) {
    this.rng = new Rng(seed);
  }

  add(name: string, init: tf.Tensor, trainable = true): tf.Variable {
    const full = `${this.scope}/${name}`;
    const variable = tf.variable(init, trainable, `${this.prefix}/${full}`);
    init.dispose();
    this.params.push({ name: full, variable, trainable });
    return variable;
  }

  /** N(0, std^2), from this store's seeded stream. */
  normal(shape: number[], std: number): tf.Tensor {
    return tf.randomNormal(shape, 0, std, 'float32', this.rng.nextSeed());
  }

  uniform(shape: number[], bound: number): tf.Tensor {
    return tf.randomUniform(shape, -bound, bound, 'float32', this.rng.nextSeed());
  }

  dispose(): void {
    for (const p of this.params) p.variable.dispose();
    this.params.length = 0;
  }
}
