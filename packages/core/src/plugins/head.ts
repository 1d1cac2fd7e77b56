/**
 * What a `head` factory creates: a description of a head that the training runtime builds once
 * it knows the feature size. Core never imports an ML runtime, so `build` returns `unknown`; the
 * package that owns the runtime (`@affectzoo/heads` for TF.js) narrows it.
 */

/** The task a head answers: one of the three ABAW tasks, or all of them (`multi`). */
export type HeadTask = 'au' | 'expression' | 'va' | 'multi';

/** Outputs a head can read from the heads before it (the expression head reads the AU outputs). */
export type HeadInput = 'au' | 'expression';

export interface HeadPlugin {
  /** The registered name of the factory that made it. */
  readonly name: string;
  /** The task whose outputs it writes (a later head may overwrite an earlier one's). */
  readonly task: HeadTask;
  /** Earlier heads' outputs it needs (those heads must come before it in the config). */
  readonly needs: readonly HeadInput[];
  /**
   * Build the head for features of `inputSize` values (the backbone's feature size), with
   * parameters initialised from `seed`. The product is the runtime's own head module.
   */
  build(inputSize: number, seed: number): unknown;
}
