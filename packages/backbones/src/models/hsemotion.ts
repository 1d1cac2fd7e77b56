/**
 * `hsemotion-enet-b0-8-best-vgaf`: the MT-CAN competition backbone (A. Savchenko's HSEmotion
 * EfficientNet-B0 trained on AffectNet), used as MT-CAN uses it: the 1280-d pooled embedding
 * (the input of the classifier Gemm, exposed as an extra graph output) followed by the 8
 * AffectNet logits = 1288-d. Downloaded from the publisher into the model cache on first use.
 */
import { resolveModelFile, z, type BackbonePlugin, type ModelFileSpec, type Registry } from '@affectzoo/core';
import { IMAGENET_MEAN, IMAGENET_STD, inputSpec } from '../input-spec.js';
import { loadOnnxExtractor, requireOnnx } from './load.js';

export const HSEMOTION_ENET_B0_8_BEST_VGAF: ModelFileSpec = {
  file: 'enet_b0_8_best_vgaf.onnx',
  url: 'https://github.com/av-savchenko/face-emotion-recognition/raw/main/models/affectnet_emotions/onnx/enet_b0_8_best_vgaf.onnx',
  // No checksum is published and the file could not be fetched where this was written, so the
  // cache records the sha256 of the first download and refuses any later change; pin it with
  // the `sha256` option.
};

const options = z.strictObject({
  sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional().describe('Pin the expected sha256 of the downloaded file.'),
  withLogits: z.boolean().default(true).describe('Append the 8 AffectNet logits to the 1280-d embedding (MT-CAN\'s 1288-d feature).'),
});

const INPUT = { width: 224, height: 224, colorOrder: 'rgb' as const, scale: 1 / 255, mean: [...IMAGENET_MEAN] as [number, number, number], std: [...IMAGENET_STD] as [number, number, number] };

export function registerHsemotion(registry: Registry): void {
  registry.register({
    kind: 'backbone',
    name: 'hsemotion-enet-b0-8-best-vgaf',
    description: 'HSEmotion EfficientNet-B0 (AffectNet), 1280-d embedding + 8 logits, ONNX from the publisher (MT-CAN\'s backbone)',
    options,
    create: (o, ctx): BackbonePlugin => ({
      name: 'hsemotion-enet-b0-8-best-vgaf',
      input: inputSpec(INPUT, 'nchw'),
      featureSize: o.withLogits ? 1288 : 1280,
      fingerprint: JSON.stringify({ backbone: 'hsemotion-enet-b0-8-best-vgaf', ...o }),
      async load(backend) {
        const ort = requireOnnx(backend, 'hsemotion-enet-b0-8-best-vgaf', ctx.path);
        const file = await resolveModelFile({ ...HSEMOTION_ENET_B0_8_BEST_VGAF, ...(o.sha256 ? { sha256: o.sha256 } : {}) });
        return loadOnnxExtractor(ort, file, { feature: 'penultimate', withLogits: o.withLogits }, inputSpec(INPUT, 'nchw'));
      },
    }),
  });
}
