/**
 * Loading a TF.js graph model (model.json + weight shards) from local files. Without tfjs-node
 * there is no `file://` handler, and fetching is never wanted here, so this reads the files itself.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import { AffectzooError } from '@affectzoo/core';

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
}

export interface GraphNodeInfo {
  name: string;
  op: string;
  inputs: string[];
}

export interface LoadedGraphModel {
  model: GraphModel;
  /** The graph's nodes in file order (topological for converter output). */
  nodes: GraphNodeInfo[];
}

export async function loadGraphModelFile(file: string): Promise<LoadedGraphModel> {
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(file, 'utf8')) as ModelJson;
  } catch (e) {
    throw new AffectzooError(`${file}: cannot read TF.js model.json (${(e as Error).message.split('\n')[0]})`);
  }
  const dir = dirname(file);
  const shards: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) {
      try {
        shards.push(await readFile(join(dir, p)));
      } catch {
        throw new AffectzooError(`${join(dir, p)}: weight file of ${file} not found`);
      }
    }
  }
  const weightData = new Uint8Array(shards.reduce((s, b) => s + b.length, 0));
  let at = 0;
  for (const s of shards) {
    weightData.set(s, at);
    at += s.length;
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: weightData.buffer,
    ...(json.format ? { format: json.format } : {}),
    ...(json.signature ? { signature: json.signature as object } : {}),
  };
  const model = await loadGraphModel(tf.io.fromMemory(artifacts));
  const topo = json.modelTopology as { node?: { name: string; op: string; input?: string[] }[] };
  const nodes = (topo.node ?? []).map((n) => ({ name: n.name, op: n.op, inputs: (n.input ?? []).map((i) => i.replace(/^\^/, '').replace(/:\d+$/, '')) }));
  return { model, nodes };
}

const DENSE_OPS = new Set(['MatMul', '_FusedMatMul', 'BatchMatMul', 'BatchMatMulV2']);

/** The input of the graph's final dense (MatMul) node, and that node: "penultimate" for TF.js graphs. */
export function tfjsPenultimate(nodes: readonly GraphNodeInfo[]): { feature: string; dense: string } {
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (DENSE_OPS.has(n.op)) return { feature: n.inputs[0]!, dense: n.name };
  }
  throw new Error('the TF.js graph has no MatMul node, so it has no "penultimate" value; name the feature node instead');
}
