/**
 * `faceres`: the face-pretrained MobileNetV1 (VGGFace2 identity, then age/gender) from
 * @vladmandic/human, 1024-d features at `global_pooling/Mean`. On TF.js it loads the graph model
 * the npm package ships; on ONNX Runtime it loads the same network exported to ONNX, from the
 * model cache or a path/URL (no publisher hosts that file, so there is no default URL).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { modelFileFromOption, resolveModelFile, z, type BackboneImageSpec, type BackbonePlugin, type ModelFileSpec, type Registry } from '@affectzoo/core';
import { OnnxBackend } from '../backends/onnx.js';
import { loadOnnxExtractor, loadTfjsExtractor, requireTfjs } from './load.js';

const require = createRequire(import.meta.url);

/** The ONNX export of faceres, as the model cache knows it. */
export const FACERES_ONNX: ModelFileSpec = {
  file: 'faceres_mobilenetv1.onnx',
  sha256: '09ac8996b67f09bdf24d080e812d5f04bd2400c9a0b8f4ccfbd2a453e75282fe',
};

/** Raw 0..255 RGB, no mean/std: what the network was trained on (human multiplies 0..1 crops by 255). */
export const FACERES_INPUT: BackboneImageSpec = { width: 224, height: 224, colorOrder: 'rgb', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] };

export const FACERES_FEATURE_SIZE = 1024;

/** The TF.js model.json inside the installed @vladmandic/human package. */
export function faceresTfjsModel(): string {
  // The package exports no `./package.json`; resolve its main file (resolving loads nothing).
  return join(dirname(require.resolve('@vladmandic/human')), '..', 'models', 'faceres.json');
}

const options = z.strictObject({
  model: z.string().min(1).optional()
    .describe('Override the model file: a TF.js model.json path, or an ONNX path/URL (ONNX backend). Default: the npm package\'s model (TF.js) or faceres_mobilenetv1.onnx from the model cache (ONNX).'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional().describe('Expected sha256 of an ONNX `model` given as a path or URL.'),
});

export function registerFaceres(registry: Registry): void {
  registry.register({
    kind: 'backbone',
    name: 'faceres',
    description: 'Face-pretrained MobileNetV1 from @vladmandic/human, 1024-d (TF.js from npm, or its ONNX export)',
    options,
    create: (o, ctx): BackbonePlugin => ({
      name: 'faceres',
      input: FACERES_INPUT,
      featureSize: FACERES_FEATURE_SIZE,
      fingerprint: JSON.stringify({ backbone: 'faceres', ...o }),
      async load(backend) {
        if (backend instanceof OnnxBackend) {
          const spec = o.model ? modelFileFromOption(o.model, o.sha256) : FACERES_ONNX;
          const file = await resolveModelFile(spec);
          return loadOnnxExtractor(backend, file, { feature: 'output', withLogits: false }, { ...FACERES_INPUT, layout: 'nchw' });
        }
        const tfjs = requireTfjs(backend, 'faceres', ctx.path);
        return loadTfjsExtractor(tfjs, o.model ?? faceresTfjsModel(), { feature: 'global_pooling/Mean', withLogits: false }, { ...FACERES_INPUT, layout: 'nhwc' });
      },
    }),
  });
}
