#!/usr/bin/env node
// Build the OpenBLAS addon (native/) with node-gyp. Run explicitly (`npm run build:native`), never
// from `npm install`: it needs a C compiler and Debian's libopenblas-dev, which many machines lack.
// Node's own headers are used when they are installed next to node (Debian/NodeSource packages,
// the official tarballs), so the build does not download them.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'native');
const prefix = dirname(dirname(process.execPath));
const args = ['rebuild', '--directory', nativeDir];
if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
// npm sets npm_config_node_gyp to the node-gyp it bundles; otherwise one on PATH.
const gyp = process.env.npm_config_node_gyp;
const r = gyp
  ? spawnSync(process.execPath, [gyp, ...args], { stdio: 'inherit' })
  : spawnSync('node-gyp', args, { stdio: 'inherit' });
if (r.status !== 0) {
  console.error('tfjs-blas: the native build failed (needs a C compiler and OpenBLAS: apt-get install -y libopenblas-dev); TF.js keeps running on plain wasm');
  process.exit(r.status ?? 1);
}
