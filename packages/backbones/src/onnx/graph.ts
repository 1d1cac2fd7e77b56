/**
 * Reading an ONNX model's graph (nodes, inputs, outputs) and exposing internal values as extra
 * graph outputs, so a published classifier yields its embedding as well as its logits.
 *
 * Field numbers from onnx.proto: ModelProto.graph = 7; GraphProto.node = 1, initializer = 5,
 * input = 11, output = 12; NodeProto.input = 1, output = 2, name = 3, op_type = 4;
 * ValueInfoProto.name = 1.
 */
import { concatBytes, encodeBytesField, fields, payload } from './protobuf.js';

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
}

export interface OnnxGraphInfo {
  /** Nodes in file order (ONNX requires topological order). */
  nodes: OnnxNode[];
  /** Graph input names that are not initializers (the real inputs). */
  inputs: string[];
  outputs: string[];
}

const text = new TextDecoder();

function graphField(model: Uint8Array) {
  for (const f of fields(model)) if (f.no === 7 && f.wire === 2) return f;
  throw new Error('not an ONNX model (no graph)');
}

function valueInfoName(buf: Uint8Array): string {
  for (const f of fields(buf)) if (f.no === 1 && f.wire === 2) return text.decode(payload(buf, f));
  return '';
}

/** The graph's nodes, inputs and outputs. */
export function readOnnxGraph(model: Uint8Array): OnnxGraphInfo {
  const graph = payload(model, graphField(model));
  const nodes: OnnxNode[] = [];
  const inputs: string[] = [];
  const outputs: string[] = [];
  const initializers = new Set<string>();
  for (const f of fields(graph)) {
    if (f.wire !== 2) continue;
    const body = payload(graph, f);
    if (f.no === 1) {
      const node: OnnxNode = { name: '', opType: '', inputs: [], outputs: [] };
      for (const g of fields(body)) {
        if (g.wire !== 2) continue;
        const s = text.decode(payload(body, g));
        if (g.no === 1) node.inputs.push(s);
        else if (g.no === 2) node.outputs.push(s);
        else if (g.no === 3) node.name = s;
        else if (g.no === 4) node.opType = s;
      }
      nodes.push(node);
    } else if (f.no === 5) {
      // TensorProto.name = 8
      for (const g of fields(body)) if (g.no === 8 && g.wire === 2) initializers.add(text.decode(payload(body, g)));
    } else if (f.no === 11) inputs.push(valueInfoName(body));
    else if (f.no === 12) outputs.push(valueInfoName(body));
  }
  return { nodes, inputs: inputs.filter((i) => !initializers.has(i)), outputs };
}

/**
 * The model with `names` (values produced by some node) added as graph outputs. The new outputs
 * carry a name only; ONNX Runtime infers their type and shape, as it does for Python's
 * `graph.output.extend([ValueInfoProto(name=...)])`. Repeated protobuf fields may be appended
 * anywhere in a message, so the graph is re-emitted with the new fields at its end.
 */
export function addOnnxOutputs(model: Uint8Array, names: readonly string[]): Uint8Array {
  const info = readOnnxGraph(model);
  const produced = new Set(info.nodes.flatMap((n) => n.outputs));
  const add = names.filter((n) => !info.outputs.includes(n));
  for (const n of add) if (!produced.has(n)) throw new Error(`no node of the ONNX graph produces "${n}"`);
  if (add.length === 0) return model;
  const g = graphField(model);
  const enc = new TextEncoder();
  const extra = add.map((n) => encodeBytesField(12, encodeBytesField(1, enc.encode(n))));
  const graph = concatBytes([payload(model, g), ...extra]);
  return concatBytes([model.subarray(0, g.start), encodeBytesField(7, graph), model.subarray(g.end)]);
}

const DENSE_OPS = new Set(['Gemm', 'MatMul']);

/**
 * The value feeding the graph's final Gemm/MatMul (the embedding before the classifier), and
 * that node's output. The Gemm's input is already the flat embedding (after any Flatten), which
 * is what a head wants.
 */
export function onnxPenultimate(info: OnnxGraphInfo): { feature: string; dense: string } {
  for (let i = info.nodes.length - 1; i >= 0; i--) {
    const n = info.nodes[i]!;
    if (DENSE_OPS.has(n.opType)) return { feature: n.inputs[0]!, dense: n.outputs[0]! };
  }
  throw new Error('the ONNX graph has no Gemm/MatMul node, so it has no "penultimate" value; name the feature node instead');
}
