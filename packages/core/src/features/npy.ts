/**
 * NumPy `.npy` (format 1.0) for float32 C-order matrices, so Python reads the feature files with
 * `numpy.load` directly. The header is padded so the data starts on a 64-byte boundary, as NumPy
 * writes it, which also lets a reader view the data as a Float32Array without copying.
 */
import { open, readFile, rename, rm } from 'node:fs/promises';
import { InputError } from '../errors.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** The header of a little-endian float32 C-order array of the given shape. */
export function npyHeader(shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + dict.length + 1; // magic(6) + version(2) + length(2) + dict + '\n'
  dict += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + dict.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), 10);
  return out;
}

/** A whole float32 array as `.npy` bytes. */
export function encodeNpy(data: Float32Array, shape: readonly number[]): Uint8Array {
  const header = npyHeader(shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

export interface NpyArray {
  data: Float32Array;
  shape: number[];
}

/** Parse `.npy` bytes holding a float32 C-order array; anything else is an `InputError` naming `file`. */
export function decodeNpy(bytes: Uint8Array, file = '(npy)'): NpyArray {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new InputError(file, undefined, 'not a .npy file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const dict = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  if (!/'descr':\s*'<f4'/.test(dict)) throw new InputError(file, undefined, `only little-endian float32 is supported (header ${dict.trim()})`);
  if (!/'fortran_order':\s*False/.test(dict)) throw new InputError(file, undefined, 'only C order is supported');
  const m = /'shape':\s*\(([^)]*)\)/.exec(dict);
  if (!m) throw new InputError(file, undefined, `no shape in header ${dict.trim()}`);
  const shape = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset !== count * 4) {
    throw new InputError(file, undefined, `holds ${bytes.length - offset} data bytes, shape (${shape.join(', ')}) needs ${count * 4} (truncated?)`);
  }
  const at = bytes.byteOffset + offset;
  // View in place when aligned; copy otherwise (Float32Array needs a 4-byte-aligned offset).
  const data = at % 4 === 0
    ? new Float32Array(bytes.buffer, at, count)
    : new Float32Array(bytes.slice(offset).buffer, 0, count);
  return { data, shape };
}

export async function readNpy(file: string): Promise<NpyArray> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    throw new InputError(file, undefined, `cannot read feature file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return decodeNpy(bytes, file);
}

/**
 * Write a `.npy` file of the given shape from parts produced one at a time (so a large matrix
 * never sits in memory whole), through a temporary file renamed at the end.
 */
export async function writeNpyStreaming(file: string, shape: readonly number[], parts: AsyncIterable<Float32Array> | Iterable<Float32Array>): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w');
  try {
    await handle.write(npyHeader(shape));
    let written = 0;
    for await (const part of parts) {
      await handle.write(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
      written += part.length;
    }
    const expected = shape.reduce((a, b) => a * b, 1);
    if (written !== expected) throw new Error(`wrote ${written} values to ${file}, shape (${shape.join(', ')}) needs ${expected}`);
    await handle.sync();
    await handle.close();
    await rename(tmp, file);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
}
