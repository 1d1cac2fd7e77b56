#!/usr/bin/env node
// Deterministic train/validation splits of the shared development data (../shared/data) for
// configs/mtcan-faceres.yaml and configs/multihead-faceres.yaml, written to runs/splits/ with
// absolute image paths:
// - CK+ (AUs only): every fifth subject (S### prefix of the file name, subjects sorted) is
//   validation; the expression labels are dropped (expressions come from FER+ and AffectNet);
// - AffectNet dev (expression and VA): within each class, in file order, every fourth row is
//   validation;
// - FER+ (expression): train.txt for training, valid.txt for validation.
// Usage: node configs/shared-data/make-splits.mjs [shared-data-folder] [out-folder]
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdir } from 'node:fs/promises';
import { imagePath, readAnnotations, writeAnnotations } from '@affectzoo/core';

const here = fileURLToPath(new URL('.', import.meta.url));
const data = resolve(process.argv[2] ?? resolve(here, '../../../shared/data'));
const out = resolve(process.argv[3] ?? resolve(here, '../../runs/splits'));
await mkdir(out, { recursive: true });

const absolute = (set) => set.rows.map((r) => ({ ...r, image: imagePath(set, r) }));
const write = async (name, rows) => {
  await writeAnnotations(resolve(out, name), rows);
  console.log(`${name}: ${rows.length} rows`);
};

const ck = await readAnnotations(resolve(data, 'ckplus/dev.txt'));
const subjectOf = (r) => /^(S\d+)/.exec(basename(r.image))?.[1] ?? basename(r.image);
const subjects = [...new Set(ck.rows.map(subjectOf))].sort();
const valSubjects = new Set(subjects.filter((_, i) => i % 5 === 4));
const ckRows = absolute(ck).map((r) => ({ ...r, expression: null }));
await write('ckplus-train.txt', ckRows.filter((r) => !valSubjects.has(subjectOf(r))));
await write('ckplus-val.txt', ckRows.filter((r) => valSubjects.has(subjectOf(r))));

const an = await readAnnotations(resolve(data, 'affectnet/dev.txt'));
const seen = new Map();
const anTrain = [];
const anVal = [];
for (const r of absolute(an)) {
  const k = seen.get(r.expression) ?? 0;
  seen.set(r.expression, k + 1);
  (k % 4 === 3 ? anVal : anTrain).push(r);
}
await write('affectnet-train.txt', anTrain);
await write('affectnet-val.txt', anVal);

await write('ferplus-train.txt', absolute(await readAnnotations(resolve(data, 'ferplus/train.txt'))));
await write('ferplus-valid.txt', absolute(await readAnnotations(resolve(data, 'ferplus/valid.txt'))));
console.log(`CK+: ${subjects.length} subjects, ${valSubjects.size} for validation`);
