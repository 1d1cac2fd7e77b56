/**
 * What a `backend` factory creates: a compute runtime (TF.js on wasm/cpu/tensorflow, or ONNX
 * Runtime) that backbones load their models on. Core never imports a runtime, so the product is
 * described here only by what callers need to know; the package that implements a runtime
 * narrows it (see `@affectzoo/backbones`, whose backbones check `runtime` before loading).
 */
export type BackendRuntime = 'tfjs' | 'onnxruntime';

export interface BackendPlugin {
  /** The registered name of the factory that made it (`wasm`, `cpu`, `tensorflow`, `onnx`). */
  readonly name: string;
  /** Which runtime executes models: decides which model format a backbone loads. */
  readonly runtime: BackendRuntime;
  /** One line for logs: the runtime, its device and threads (for example `onnxruntime 1.30 cpu`). */
  describe(): string;
  /** Release what the backend holds (sessions are released by their backbones). */
  dispose(): Promise<void>;
}
