/**
 * The generic backbones: `onnx` (any ONNX file, by path or URL with sha256) and `tfjs-graph` (any
 * TF.js graph model.json), with the feature taken at a named node or the penultimate layer,
 * optionally followed by the logits.
 */
import { modelFileFromOption, resolveModelFile, z, type BackbonePlugin, type Registry } from '@affectzoo/core';
import { inputOptions, inputSpec } from '../input-spec.js';
import { loadOnnxExtractor, loadTfjsExtractor, requireOnnx, requireTfjs } from './load.js';

const selectionOptions = {
  feature: z.string().min(1).default('penultimate')
    .describe('Node whose value is the feature: a node/value name, "penultimate" (input of the final Gemm/MatMul) or "output".'),
  withLogits: z.boolean().default(false).describe('Append the final dense layer\'s output (the logits) to the feature.'),
};

const onnxOptions = z.strictObject({
  model: z.string().min(1).describe('ONNX file: a local path, or an http(s) URL downloaded into the model cache.'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional().describe('Expected sha256 of the file; a file that differs is refused.'),
  ...selectionOptions,
  ...inputOptions,
});

const tfjsOptions = z.strictObject({
  model: z.string().min(1).describe('Local path of a TF.js graph model.json (weight shards beside it).'),
  ...selectionOptions,
  ...inputOptions,
});

export function registerGenericBackbones(registry: Registry): void {
  registry.register({
    kind: 'backbone',
    name: 'onnx',
    description: 'Any ONNX model (path or URL + sha256); feature at a named node or "penultimate", optionally with logits',
    options: onnxOptions,
    create: (o, ctx): BackbonePlugin => ({
      name: 'onnx',
      input: inputSpec(o, 'nchw'),
      fingerprint: JSON.stringify({ backbone: 'onnx', ...o }),
      async load(backend) {
        const ort = requireOnnx(backend, 'onnx', ctx.path);
        const file = await resolveModelFile(modelFileFromOption(o.model, o.sha256));
        return loadOnnxExtractor(ort, file, o, inputSpec(o, 'nchw'));
      },
    }),
  });
  registry.register({
    kind: 'backbone',
    name: 'tfjs-graph',
    description: 'Any TF.js graph model (model.json); feature at a named node or "penultimate", optionally with logits',
    options: tfjsOptions,
    create: (o, ctx): BackbonePlugin => ({
      name: 'tfjs-graph',
      input: inputSpec(o, 'nhwc'),
      fingerprint: JSON.stringify({ backbone: 'tfjs-graph', ...o }),
      async load(backend) {
        const tfjs = requireTfjs(backend, 'tfjs-graph', ctx.path);
        return loadTfjsExtractor(tfjs, modelFileFromOption(o.model, undefined).file, o, inputSpec(o, 'nhwc'));
      },
    }),
  });
}
