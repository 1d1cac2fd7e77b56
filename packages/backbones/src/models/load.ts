/**
 * Loading a backbone's model on a backend: the ONNX path (model bytes, optional extra outputs
 * exposed, a session) and the TF.js path (graph model, named nodes). Both resolve the feature
 * node the same way: a node name, `penultimate` (input of the final dense layer) or `output`.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, type BackboneInputSpec, type BackendPlugin, type FeatureExtractor } from '@affectzoo/core';
import { OnnxBackend } from '../backends/onnx.js';
import { TfjsBackend } from '../backends/tfjs.js';
import { addOnnxOutputs, onnxPenultimate, readOnnxGraph } from '../onnx/graph.js';
import { OnnxExtractor } from '../onnx/extractor.js';
import { loadGraphModelFile, tfjsPenultimate } from '../tfjs/load-graph-model.js';
import { TfjsGraphExtractor } from '../tfjs/extractor.js';

/** Which value(s) of the graph make the feature. */
export interface FeatureSelection {
  /** A node/value name, `penultimate` (input of the final Gemm/MatMul) or `output` (the first graph output). */
  feature: string;
  /** Append the final dense layer's output (the logits) after the feature. */
  withLogits: boolean;
}

export function requireOnnx(backend: BackendPlugin, backbone: string, path: string): OnnxBackend {
  if (backend instanceof OnnxBackend) return backend;
  throw new ConfigError([{ path: `${path}.name`, message: `backbone "${backbone}" has an ONNX model only; use backend "onnx" (got "${backend.name}")` }]);
}

export function requireTfjs(backend: BackendPlugin, backbone: string, path: string): TfjsBackend {
  if (backend instanceof TfjsBackend) return backend;
  throw new ConfigError([{ path: `${path}.name`, message: `backbone "${backbone}" has a TF.js model only; use backend "wasm", "cpu" or "tensorflow" (got "${backend.name}")` }]);
}

/** The ONNX outputs to fetch for a selection. */
export function onnxOutputsFor(model: Uint8Array, sel: FeatureSelection): string[] {
  const info = readOnnxGraph(model);
  const out: string[] = [];
  if (sel.feature === 'output') {
    out.push(info.outputs[0]!);
  } else if (sel.feature === 'penultimate') {
    out.push(onnxPenultimate(info).feature);
  } else {
    out.push(sel.feature);
  }
  if (sel.withLogits) out.push(onnxPenultimate(info).dense);
  return out;
}

export async function loadOnnxExtractor(backend: OnnxBackend, file: string, sel: FeatureSelection, input: BackboneInputSpec): Promise<FeatureExtractor> {
  let model: Uint8Array = await readFile(file);
  const outputs = onnxOutputsFor(model, sel);
  model = addOnnxOutputs(model, outputs);
  const session = await backend.createSession(model, file);
  return OnnxExtractor.create(session, outputs, input);
}

export async function loadTfjsExtractor(backend: TfjsBackend, file: string, sel: FeatureSelection, input: BackboneInputSpec): Promise<FeatureExtractor> {
  await backend.activate();
  const { model, nodes } = await loadGraphModelFile(file);
  const names: string[] = [];
  if (sel.feature === 'output') names.push(...model.outputs.map((o) => o.name).slice(0, 1));
  else if (sel.feature === 'penultimate') names.push(tfjsPenultimate(nodes).feature);
  else names.push(sel.feature);
  if (sel.withLogits) names.push(tfjsPenultimate(nodes).dense);
  const known = new Set(nodes.map((n) => n.name));
  for (const n of names) {
    if (!known.has(n.replace(/:\d+$/, ''))) {
      model.dispose();
      throw new Error(`${file}: the graph has no node "${n}"`);
    }
  }
  return TfjsGraphExtractor.create(backend, model, names, input);
}
