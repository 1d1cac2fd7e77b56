import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultCacheDir, ModelFileError, resolveModelFile } from '../src/index.js';

const body = new TextEncoder().encode('pretend model weights\n');
const sha = createHash('sha256').update(body).digest('hex');
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/model.onnx') res.end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const addr = server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('model cache', () => {
  it('takes its folder from AFFECTZOO_CACHE', () => {
    expect(defaultCacheDir({ AFFECTZOO_CACHE: '/models' })).toBe('/models');
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/affectzoo');
  });

  it('downloads into the cache, checks the sha256, then serves the cached copy', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'cache-'));
    const path = await resolveModelFile({ file: 'model.onnx', url: `${url}/model.onnx`, sha256: sha }, { cacheDir });
    expect(path).toBe(join(cacheDir, 'model.onnx'));
    // Second time: no server needed.
    expect(await resolveModelFile({ file: 'model.onnx', url: 'http://127.0.0.1:9/none', sha256: sha }, { cacheDir })).toBe(path);
  });

  it('refuses a download with the wrong checksum and leaves nothing under the final name', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'cache-'));
    await expect(resolveModelFile({ file: 'model.onnx', url: `${url}/model.onnx`, sha256: '0'.repeat(64) }, { cacheDir }))
      .rejects.toThrow(/does not match the expected 0{64}; refusing/);
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it('refuses a cached file that was changed', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'cache-'));
    await writeFile(join(cacheDir, 'model.onnx'), 'tampered');
    await expect(resolveModelFile({ file: 'model.onnx', sha256: sha }, { cacheDir })).rejects.toThrow(ModelFileError);
  });

  it('records the checksum of a download that has none, and holds later uses to it', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'cache-'));
    await resolveModelFile({ file: 'model.onnx', url: `${url}/model.onnx` }, { cacheDir });
    expect((await readdir(cacheDir)).sort()).toEqual(['model.onnx', 'model.onnx.sha256']);
    await writeFile(join(cacheDir, 'model.onnx'), 'tampered');
    await expect(resolveModelFile({ file: 'model.onnx', url: `${url}/model.onnx` }, { cacheDir })).rejects.toThrow(/refusing/);
  });

  it('says how to work offline when a file is absent and has no URL', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'cache-'));
    await expect(resolveModelFile({ file: 'x.onnx' }, { cacheDir })).rejects.toThrow(/AFFECTZOO_CACHE/);
    await expect(resolveModelFile({ file: 'x.onnx', url: `${url}/missing` }, { cacheDir })).rejects.toThrow(/HTTP 404/);
  });
});
