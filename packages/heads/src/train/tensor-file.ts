/**
 * A small file of named float32 arrays with a JSON header, written in one atomic rename (so a
 * killed run leaves either the old checkpoint or the new one, never half of one):
 *
 *   "AZW1" | u32 header length | header JSON { meta, tensors: [{ name, shape, offset }] } | padding | float32 data
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic, InputError } from '@affectzoo/core';

export interface NamedArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface TensorFile<M> {
  meta: M;
  tensors: Map<string, NamedArray>;
}

const MAGIC = 'AZW1';

export function encodeTensorFile<M>(meta: M, tensors: readonly NamedArray[]): Uint8Array {
  let offset = 0;
  const entries = tensors.map((t) => {
    const e = { name: t.name, shape: t.shape, offset };
    offset += t.data.length;
    return e;
  });
  const header = Buffer.from(JSON.stringify({ meta, tensors: entries }), 'utf8');
  const start = Math.ceil((8 + header.length) / 4) * 4;
  const out = new Uint8Array(start + offset * 4);
  out.set(Buffer.from(MAGIC, 'ascii'), 0);
  new DataView(out.buffer).setUint32(4, header.length, true);
  out.set(header, 8);
  const data = new Float32Array(out.buffer, start, offset);
  tensors.forEach((t, i) => data.set(t.data, entries[i]!.offset));
  return out;
}

export function decodeTensorFile<M>(bytes: Uint8Array, file = 'checkpoint'): TensorFile<M> {
  if (Buffer.from(bytes.subarray(0, 4)).toString('ascii') !== MAGIC) throw new InputError(file, undefined, 'not an affectzoo weights file (bad magic)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(4, true);
  const header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + length)).toString('utf8')) as { meta: M; tensors: { name: string; shape: number[]; offset: number }[] };
  const start = Math.ceil((8 + length) / 4) * 4;
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + bytes.byteLength));
  const tensors = new Map<string, NamedArray>();
  for (const e of header.tensors) {
    const size = e.shape.reduce((a, b) => a * b, 1);
    tensors.set(e.name, { name: e.name, shape: e.shape, data: all.subarray(e.offset, e.offset + size) });
  }
  return { meta: header.meta, tensors };
}

export async function writeTensorFile<M>(file: string, meta: M, tensors: readonly NamedArray[]): Promise<void> {
  await writeFileAtomic(file, encodeTensorFile(meta, tensors));
}

export async function readTensorFile<M>(file: string): Promise<TensorFile<M>> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new InputError(file, undefined, `cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return decodeTensorFile<M>(bytes, file);
}
