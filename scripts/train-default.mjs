#!/usr/bin/env node
// Reproduce the default model from the shared development data, end to end:
//   1. splits       configs/shared-data/make-splits.mjs -> runs/splits/ (skipped when present)
//   2. features     `affectzoo extract` of CK+, AffectNet-dev, FER+ train and valid (plain), and of
//                   CK+ and AffectNet-dev with the config's `extract.augmentCopies` augmented
//                   copies (FER+ train's 27k images are too many to augment on a CPU: ~30 img/s);
//                   a finished folder (meta.json) is skipped, an unfinished one resumes
//   3. training     `affectzoo train --resume` (skipped when <train.out>/model.azw and metrics.json exist)
//   4. calibration  per-AU thresholds on the AU-labelled validation frames (CK+ held-out
//                   subjects), folded into the model; scored by leave-one-subject-out
//   5. evaluation   the calibrated model on every validation file -> <train.out>/final/
//   6. install      model.azw, config.yaml, metrics.json -> packages/cli/models/default/
//
// Usage: node scripts/train-default.mjs [--config configs/default.yaml] [--data ../shared/data] [--no-install]
// (`npm run train:default`). Extraction runs faceres on ONNX Runtime when faceres_mobilenetv1.onnx
// is in the model cache (AFFECTZOO_CACHE, or <data>/../models), else on TF.js wasm (the graph
// model @vladmandic/human ships; same features to 1e-3, about 10x slower).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '@affectzoo/core';
import { CALIBRATION_GRID, calibrateCheckpoint, evaluateCheckpoint } from '@affectzoo/cli';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values: args } = parseArgs({
  options: {
    config: { type: 'string', default: 'configs/default.yaml' },
    data: { type: 'string', default: resolve(root, '../shared/data') },
    'no-install': { type: 'boolean', default: false },
  },
});
const configFile = resolve(args.config);
const data = resolve(args.data);
const cli = join(root, 'packages/cli/dist/bin.js');
const config = await loadConfig(configFile);
const env = { ...process.env };
const cachedOnnx = (dir) => dir && existsSync(join(dir, 'faceres_mobilenetv1.onnx'));
if (!cachedOnnx(env.AFFECTZOO_CACHE) && cachedOnnx(resolve(data, '../models'))) env.AFFECTZOO_CACHE = resolve(data, '../models');
const backend = cachedOnnx(env.AFFECTZOO_CACHE) || cachedOnnx(join(process.env.HOME ?? '', '.cache/affectzoo')) ? 'onnx' : 'wasm';

const run = (what, argv) => {
  console.log(`\n== ${what}: node ${argv.map((a) => relative(root, a) || a).join(' ')}`);
  const r = spawnSync(process.execPath, argv, { stdio: 'inherit', env, cwd: root });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status})`);
};

// 1. Splits (deterministic; the config's data files live in runs/splits).
const splits = join(root, 'runs/splits');
if (!['ckplus-train', 'ckplus-val', 'affectnet-train', 'affectnet-val', 'ferplus-train', 'ferplus-valid'].every((n) => existsSync(join(splits, `${n}.txt`)))) {
  run('splits', [join(root, 'configs/shared-data/make-splits.mjs'), data, splits]);
}

// 2. Features. Plain sets first; augmented copies of the small sets into their own folders.
const features = config.data.features;
const copies = config.extract.augmentCopies;
const sets = [
  ['ckplus', 'ckplus/dev.txt', 0], ['affectnet', 'affectnet/dev.txt', 0],
  ['ferplus-valid', 'ferplus/valid.txt', 0], ['ferplus-train', 'ferplus/train.txt', 0],
  ...(copies > 0 ? [[`ckplus-aug${copies}`, 'ckplus/dev.txt', copies], [`affectnet-aug${copies}`, 'affectnet/dev.txt', copies]] : []),
];
for (const [name, file, n] of sets) {
  const out = join(features, name);
  if (existsSync(join(out, 'meta.json'))) continue;
  run(`features ${name}`, [cli, 'extract', '--backbone', config.backbone.name, '--backend', backend, '--data', join(data, file), '--out', out,
    '--augment-copies', String(n), '--seed', String(config.seed), '--no-progress']);
}

// 3. Training.
const trained = config.train.out;
if (!(existsSync(join(trained, 'model.azw')) && existsSync(join(trained, 'metrics.json')))) {
  run('train', [cli, 'train', '--config', configFile, '--resume', '--quiet']);
}

// 4. Calibration of the trained model, written to <out>/final (the training output stays as trained).
const final = join(trained, 'final');
await mkdir(final, { recursive: true });
console.log('\n== calibration: per-AU thresholds on the AU-labelled validation frames, leave-one-subject-out');
const cal = await calibrateCheckpoint(configFile, trained, final);
const f = (x) => x.toFixed(3);
console.log(`${cal.frames} frames of ${cal.groups} subjects (${cal.files.join(', ')}): AU F1 ${f(cal.f1Before)} at 0.5; ` +
  `${f(cal.f1CrossValidated)} calibrated, leave-one-subject-out; ${f(cal.f1InSample)} in-sample (optimistic)`);
console.log(`thresholds: ${cal.thresholds.map(f).join(' ')}; ${cal.applied ? 'folded into the model' : 'NOT applied: no better than 0.5 held out'}`);

// 5. Evaluation of the uncalibrated and the calibrated model on every validation file.
const pick = (s) => ({
  P_AU: s.P_AU, P_EX: s.P_EX, P_VA: s.P_VA, au_f1: s.au_f1, ex_f1: s.ex_f1, ccc_valence: s.ccc_valence, ccc_arousal: s.ccc_arousal,
  frames: { au: Math.max(0, ...s.counts.au), expression: s.counts.expression, va: s.counts.va },
});
const before = await evaluateCheckpoint(configFile, trained);
const after = await evaluateCheckpoint(configFile, final);
const trainMetrics = JSON.parse(await readFile(join(trained, 'metrics.json'), 'utf8'));
const pkg = JSON.parse(await readFile(join(root, 'packages/cli/package.json'), 'utf8'));
const command = `npm run train:default${args.config === 'configs/default.yaml' ? '' : ` -- --config ${relative(root, configFile)}`}`;
const metrics = {
  model: 'affectzoo default heads', version: pkg.version, backbone: config.backbone.name, config: relative(root, configFile), command,
  note: 'Validation: CK+ held-out subjects (AUs), FER+ valid (expression), the last AffectNet-dev quarter (expression, VA). '
    + 'The best checkpoint of each stage was selected on these same sets, and the AU thresholds were fitted on the CK+ ones: '
    + 'the cross-validated calibration figure is the honest AU estimate.',
  // Per task and dataset, the figures to quote: the AU figure is the leave-one-subject-out one,
  // since the thresholds were fitted on the same CK+ frames that `validation` scores.
  summary: {
    au: Object.fromEntries(Object.entries(after).filter(([, v]) => v.counts.au.some((c) => c > 0)).map(([k]) => [k, {
      P_AU_uncalibrated: before[k].P_AU, P_AU_calibrated_leave_one_subject_out: cal.f1CrossValidated, P_AU_calibrated_in_sample: after[k].P_AU,
    }])),
    expression: Object.fromEntries(Object.entries(after).filter(([, v]) => v.counts.expression > 0).map(([k, v]) => [k, { P_EX: v.P_EX }])),
    va: Object.fromEntries(Object.entries(after).filter(([, v]) => v.counts.va > 0).map(([k, v]) => [k, { P_VA: v.P_VA, ccc_valence: v.ccc_valence, ccc_arousal: v.ccc_arousal }])),
  },
  validation: Object.fromEntries(Object.entries(after).map(([k, v]) => [k, pick(v)])),
  validationUncalibrated: Object.fromEntries(Object.entries(before).map(([k, v]) => [k, pick(v)])),
  calibration: {
    method: `per-AU F1-maximising threshold on the grid ${CALIBRATION_GRID.join(', ')}, fitted on all AU-labelled validation frames, `
      + 'scored leave-one-subject-out; folded in (piecewise-linear map t -> 0.5) only when that score beats 0.5',
    applied: cal.applied, frames: cal.frames, subjects: cal.groups, files: cal.files, thresholds: cal.thresholds,
    auF1Before: cal.f1Before, auF1CrossValidated: cal.f1CrossValidated, auF1InSample: cal.f1InSample,
    perAuBefore: cal.perAuBefore, perAuCrossValidated: cal.perAuCrossValidated,
  },
  training: { stages: trainMetrics.stages, trainSeconds: trainMetrics.trainSeconds },
};
await writeFile(join(final, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
await copyFile(configFile, join(final, 'config.yaml'));
for (const [name, s] of Object.entries(after)) {
  console.log(`${name}: P_AU ${f(s.P_AU)} (uncalibrated ${f(before[name].P_AU)}) P_EX ${f(s.P_EX)} P_VA ${f(s.P_VA)}`);
}
console.log(`training ${trainMetrics.trainSeconds.toFixed(0)} s; final model in ${relative(root, final)}`);

// 6. Install as the CLI's default model.
if (!args['no-install']) {
  const dest = join(root, 'packages/cli/models/default');
  await mkdir(dest, { recursive: true });
  for (const file of ['model.azw', 'config.yaml', 'metrics.json']) await copyFile(join(final, file), join(dest, file));
  console.log(`installed in ${relative(root, dest)}`);
}
