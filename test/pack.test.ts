// The published tarballs install and import on their own, outside the workspace.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });

describe('npm pack', () => {
  it('@affectzoo/core and @affectzoo/heads install and import in an empty folder', () => {
    const out = mkdtempSync(join(tmpdir(), 'az-pack-'));
    for (const pkg of ['packages/core', 'packages/optim-sam', 'packages/heads']) npm(['pack', '--pack-destination', out, '--silent'], join(ROOT, pkg));
    const tarballs = readdirSync(out).filter((f) => f.endsWith('.tgz')).map((f) => join(out, f));
    expect(tarballs).toHaveLength(3); // @affectzoo/heads depends on @affectzoo/optim-sam
    const app = mkdtempSync(join(tmpdir(), 'az-app-'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    npm(['install', '--no-audit', '--no-fund', '--silent', ...tarballs], app);
    writeFileSync(join(app, 'check.mjs'), [
      "import { ccc, createRegistry, AU_NAMES } from '@affectzoo/core';",
      "import * as heads from '@affectzoo/heads';",
      'const registry = createRegistry();',
      'heads.register(registry);',
      "console.log(JSON.stringify({ ccc: ccc([1, 2, 3], [1, 2, 3]), aus: AU_NAMES.length, datasets: registry.names('dataset') }));",
    ].join('\n'));
    const result = JSON.parse(execFileSync(process.execPath, ['check.mjs'], { cwd: app, encoding: 'utf8' })) as { ccc: number; aus: number; datasets: string[] };
    expect(result).toEqual({ ccc: 1, aus: 12, datasets: ['abaw-mtl', 'affwild2-folders'] });
  }, 300_000);
});
