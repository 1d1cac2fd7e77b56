/** The backend factories: `wasm`, `cpu`, `tensorflow` (TF.js) and `onnx` (ONNX Runtime). */
import { z, type Registry } from '@affectzoo/core';
import { TfjsBackend, type TfjsBackendName } from './tfjs.js';
import { OnnxBackend } from './onnx.js';

const TFJS: { name: TfjsBackendName; description: string }[] = [
  { name: 'wasm', description: 'TF.js WebAssembly backend (default; SIMD, one thread)' },
  { name: 'cpu', description: 'TF.js plain-JavaScript backend (slow; reference)' },
  { name: 'tensorflow', description: 'TF.js on libtensorflow via @tensorflow/tfjs-node(-gpu), when installed' },
];

export function registerBackends(registry: Registry): void {
  for (const b of TFJS) {
    registry.register({
      kind: 'backend',
      name: b.name,
      description: b.description,
      options: b.name === 'wasm'
        ? z.strictObject({
          blas: z.enum(['auto', 'on', 'off']).optional()
            .describe('Matrix products on OpenBLAS and optimizer updates as native passes via the optional @affectzoo/tfjs-blas addon (head training 3-10x faster): auto uses it when built, on requires it; default from AFFECTZOO_TFJS_BLAS, else auto.'),
        })
        : z.strictObject({}),
      create: (o: { blas?: 'auto' | 'on' | 'off' }, ctx) => TfjsBackend.create(b.name, ctx.path, o.blas ? { blas: o.blas } : {}),
    });
  }
  registry.register({
    kind: 'backend',
    name: 'onnx',
    description: 'ONNX Runtime (onnxruntime-node): CPU, or the CUDA execution provider with device "cuda"',
    options: z.strictObject({
      device: z.enum(['cpu', 'cuda']).default('cpu').describe('Execution provider.'),
      deviceId: z.number().int().nonnegative().default(0).describe('CUDA device index.'),
      threads: z.number().int().nonnegative().default(0).describe('Intra-op threads; 0 for all cores.'),
      spinning: z.boolean().default(false)
        .describe('Idle threads spin: faster for inference alone, slower when image decoding shares the cores (extraction).'),
    }),
    create: (o) => new OnnxBackend(o),
  });
}
