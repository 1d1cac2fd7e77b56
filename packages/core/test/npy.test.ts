import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeNpy, encodeNpy, InputError, npyHeader, readNpy, writeNpyStreaming } from '../src/index.js';

describe('.npy', () => {
  it('writes a NumPy 1.0 header padded to 64 bytes', () => {
    const h = npyHeader([3, 1024]);
    expect(h.length % 64).toBe(0);
    const text = new TextDecoder().decode(h.subarray(10));
    expect(text).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 1024\), \} *\n$/);
    expect(new TextDecoder().decode(npyHeader([5]).subarray(10))).toContain("'shape': (5,)");
  });

  it('round-trips a matrix', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i / 3);
    const back = decodeNpy(encodeNpy(data, [3, 4]));
    expect(back.shape).toEqual([3, 4]);
    expect([...back.data]).toEqual([...data]);
  });

  it('refuses a truncated file, naming it', () => {
    const bytes = encodeNpy(new Float32Array(8), [2, 4]).subarray(0, 100);
    expect(() => decodeNpy(bytes, 'x.npy')).toThrow(InputError);
    expect(() => decodeNpy(bytes, 'x.npy')).toThrow(/x\.npy.*truncated/);
  });

  it('streams parts into the final file through a temporary one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'npy-'));
    const file = join(dir, 'f.npy');
    await writeNpyStreaming(file, [2, 2], [Float32Array.of(1, 2), Float32Array.of(3, 4)]);
    expect([...(await readNpy(file)).data]).toEqual([1, 2, 3, 4]);
    await expect(writeNpyStreaming(join(dir, 'g.npy'), [2, 2], [Float32Array.of(1)])).rejects.toThrow(/needs 4/);
    expect((await readdir(dir)).sort()).toEqual(['f.npy']);
    expect((await readFile(file)).length).toBe(npyHeader([2, 2]).length + 16);
  });
});
