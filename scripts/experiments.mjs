#!/usr/bin/env node
// The table of MODEL_CARD.md: each config of configs/experiments/ (or those named) through
// scripts/train-default.mjs --no-install (train, calibrate, evaluate; skipped when trained), then
// one Markdown row per config from its <train.out>/final/metrics.json.
// Usage: node scripts/experiments.mjs [configs/experiments/a.yaml ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '@affectzoo/core';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dir = join(root, 'configs/experiments');
const configs = process.argv.length > 2 ? process.argv.slice(2).map((c) => resolve(c))
  : readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));
const rows = [];
for (const file of configs) {
  const r = spawnSync(process.execPath, [join(root, 'scripts/train-default.mjs'), '--config', file, '--no-install'], { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    rows.push(`| ${relative(root, file)} | failed (exit ${r.status}) | | | | | |`);
    continue;
  }
  const config = await loadConfig(file);
  const m = JSON.parse(await readFile(join(config.train.out, 'final/metrics.json'), 'utf8'));
  const v = m.validation;
  const u = m.validationUncalibrated;
  const f = (x) => x.toFixed(3);
  const ck = 'splits/ckplus-val.txt';
  rows.push(`| ${relative(root, file)} | ${f(u[ck].P_AU)} | ${f(m.calibration.auF1CrossValidated)}${m.calibration.applied ? ' (applied)' : ''} | `
    + `${f(v['splits/ferplus-valid.txt'].P_EX)} | ${f(v['splits/affectnet-val.txt'].P_EX)} | ${f(v['splits/affectnet-val.txt'].P_VA)} | ${m.training.trainSeconds.toFixed(0)} |`);
}
console.log('\n| config | P_AU CK+ (at 0.5) | P_AU CK+ calibrated, leave-one-subject-out | P_EX FER+ | P_EX AffectNet | P_VA AffectNet | train s |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
