/**
 * What an `optimizer` factory creates. Learning rate and weight decay come from the config's
 * `train` section (they are schedule settings, shared by every optimizer), so `create` takes them;
 * the product is the runtime's own optimizer (narrowed by its package, e.g. `@affectzoo/optim-sam`).
 */

export interface OptimizerSettings {
  /** Initial learning rate (a schedule may change it per step). */
  learningRate: number;
  /** Weight decay: coupled (added to the gradient) for SGD and Adam, decoupled for AdamW. */
  weightDecay: number;
}

export interface OptimizerPlugin {
  /** The registered name of the factory that made it. */
  readonly name: string;
  /** A fresh optimizer for one training stage. */
  create(settings: OptimizerSettings): unknown;
}
