/**
 * Finished batches of an extraction, one file each under `<out>/.partial/`, written atomically:
 * a resumed run skips every batch whose file exists. Layout: uint32 header length, a JSON header
 * (`rows` kept, `skipped` images, `featureSize`), padding to 4 bytes, then float32 features.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@affectzoo/core';

export interface Chunk {
  /** Annotation row indices kept in this batch, in order. */
  rows: number[];
  skipped: { image: string; reason: string }[];
  featureSize: number;
  /** `[rows.length, featureSize]` row-major. */
  features: Float32Array;
}

export async function writeChunk(file: string, chunk: Chunk): Promise<void> {
  const header = new TextEncoder().encode(JSON.stringify({ rows: chunk.rows, skipped: chunk.skipped, featureSize: chunk.featureSize }));
  const start = 4 + Math.ceil(header.length / 4) * 4;
  const out = new Uint8Array(start + chunk.features.byteLength);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  out.set(new Uint8Array(chunk.features.buffer, chunk.features.byteOffset, chunk.features.byteLength), start);
  await writeFileAtomic(file, out);
}

export async function readChunk(file: string): Promise<Chunk> {
  const buf = await readFile(file);
  const len = buf.readUInt32LE(0);
  const header = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as Omit<Chunk, 'features'>;
  const start = 4 + Math.ceil(len / 4) * 4;
  // Copy into a fresh, aligned buffer: the file buffer may come from a pool at any offset.
  const features = new Float32Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + buf.length));
  if (features.length !== header.rows.length * header.featureSize) throw new Error(`${file}: truncated batch file`);
  return { ...header, features };
}
