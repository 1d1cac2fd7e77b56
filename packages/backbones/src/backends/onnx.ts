/**
 * The ONNX Runtime backend: the CPU execution provider, or CUDA on request. onnxruntime-node ships
 * its CPU library in the npm package; its CUDA parts come from an install-time download that is
 * skipped where impossible, so asking for CUDA without them is reported, not silently ignored.
 */
import * as ort from 'onnxruntime-node';
import { AffectzooError, type BackendPlugin } from '@affectzoo/core';

export interface OnnxBackendOptions {
  device: 'cpu' | 'cuda';
  /** CUDA device index. */
  deviceId: number;
  /** Intra-op threads; 0 lets ONNX Runtime use every core. */
  threads: number;
  /** Let idle intra-op threads spin: faster for inference alone, slower when image decoding shares the cores. */
  spinning: boolean;
}

export class OnnxBackend implements BackendPlugin {
  readonly name = 'onnx';
  readonly runtime = 'onnxruntime' as const;
  constructor(readonly options: OnnxBackendOptions) {}

  sessionOptions(): ort.InferenceSession.SessionOptions {
    const providers: ort.InferenceSession.ExecutionProviderConfig[] = this.options.device === 'cuda'
      ? [{ name: 'cuda', deviceId: this.options.deviceId }]
      : ['cpu'];
    return {
      executionProviders: providers,
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: this.options.spinning ? '1' : '0' } } },
      ...(this.options.threads > 0 ? { intraOpNumThreads: this.options.threads } : {}),
    };
  }

  /** A session on this backend's execution provider. */
  async createSession(model: Uint8Array, label: string): Promise<ort.InferenceSession> {
    try {
      return await ort.InferenceSession.create(model, this.sessionOptions());
    } catch (e) {
      const msg = (e as Error).message;
      if (this.options.device === 'cuda') {
        throw new AffectzooError(`${label}: cannot start ONNX Runtime's CUDA execution provider (${msg.split('\n')[0]}). It needs an NVIDIA GPU, CUDA 12 and onnxruntime-node installed with its CUDA parts (install scripts allowed, ONNXRUNTIME_NODE_INSTALL_CUDA not "skip"); use device "cpu" otherwise`);
      }
      throw new AffectzooError(`${label}: ONNX Runtime cannot load the model (${msg.split('\n')[0]})`);
    }
  }

  describe(): string {
    const threads = this.options.threads > 0 ? `, ${this.options.threads} threads` : '';
    return `onnxruntime-node ${ort.env.versions.node ?? ''} ${this.options.device}${threads}`.replace('  ', ' ');
  }

  async dispose(): Promise<void> {}
}
