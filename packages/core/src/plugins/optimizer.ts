/**
 * What a `optimizer` factory creates. Kept minimal until its issue defines it; the product is opaque to
 * core (core never imports TF.js or ONNX Runtime), so the owning package narrows it.
 */
export interface OptimizerPlugin {
  /** The registered name of the factory that made it. */
  readonly name: string;
}
