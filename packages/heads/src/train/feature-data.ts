/**
 * Features for annotation files: a feature root holds one folder per extracted set (as
 * `affectzoo extract` writes them: features.npy, index.csv, meta.json), or is one itself. A row
 * of any annotation file (a training split, say) finds its features by the image's absolute path,
 * so splits are plain annotation files and features are extracted once per source set.
 */
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { imagePath, InputError, readAnnotations, readFeatures, type FeatureSet } from '@affectzoo/core';
import type { FeatureRows } from './data.js';

export interface FeatureIndex {
  dim: number;
  /** Absolute image path -> its feature row. */
  byImage: Map<string, Float32Array>;
  /** Absolute image path -> the feature rows of its augmented copies (folders extracted with `--augment-copies`). */
  augmented: Map<string, Float32Array[]>;
  sets: string[];
}

async function featureFolders(root: string): Promise<string[]> {
  if (existsSync(join(root, 'index.csv'))) return [root];
  let names: string[];
  try {
    names = await readdir(root);
  } catch {
    throw new InputError(root, undefined, 'no feature folder here; run `affectzoo extract` first');
  }
  return names.sort().map((n) => join(root, n)).filter((d) => existsSync(join(d, 'index.csv')));
}

export async function loadFeatureIndex(root: string): Promise<FeatureIndex> {
  const folders = await featureFolders(root);
  if (folders.length === 0) throw new InputError(root, undefined, 'no feature folder (with index.csv) here; run `affectzoo extract` first');
  const byImage = new Map<string, Float32Array>();
  const augmented = new Map<string, Float32Array[]>();
  let dim = -1;
  for (const folder of folders) {
    const set: FeatureSet = await readFeatures(folder);
    const [n, d] = set.shape;
    if (dim >= 0 && d !== dim) throw new InputError(folder, undefined, `feature size ${d} differs from ${dim} in the other folders`);
    dim = d;
    const base = dirname(resolve(set.meta.annotations));
    for (let i = 0; i < n; i++) byImage.set(resolve(base, set.rows[i]!.image), set.features.subarray(i * d, (i + 1) * d));
    if (set.augmented) {
      // features_aug.npy is [copies, rows, d]: copy k of row i starts at (k * rows + i) * d.
      const [copies] = set.augmented.shape;
      const data = set.augmented.data;
      for (let i = 0; i < n; i++) {
        const image = resolve(base, set.rows[i]!.image);
        const list = augmented.get(image) ?? [];
        for (let k = 0; k < copies; k++) list.push(data.subarray((k * n + i) * d, (k * n + i + 1) * d));
        augmented.set(image, list);
      }
    }
  }
  return { dim, byImage, augmented, sets: folders.map((f) => basename(f)) };
}

/**
 * The rows of an annotation file with their features; a row without features is an error naming
 * it. With `augmentCopies` > 0, each row that has augmented copies in the index adds up to that
 * many extra rows (same labels, the copies' features) after the plain rows: training data only.
 */
export async function featureRowsFor(annotationFile: string, index: FeatureIndex, augmentCopies = 0): Promise<FeatureRows & { file: string }> {
  const set = await readAnnotations(annotationFile);
  const extra: { row: number; f: Float32Array }[] = [];
  const plain = set.rows.map((row, i) => {
    const image = imagePath(set, row);
    const f = index.byImage.get(image);
    if (!f) throw new InputError(annotationFile, i + 2, `no features for ${row.image} in the feature folders (${index.sets.join(', ')})`);
    if (augmentCopies > 0) for (const a of (index.augmented.get(image) ?? []).slice(0, augmentCopies)) extra.push({ row: i, f: a });
    return f;
  });
  const all = [...plain, ...extra.map((e) => e.f)];
  const features = new Float32Array(all.length * index.dim);
  all.forEach((f, i) => features.set(f, i * index.dim));
  return { file: set.file, features, dim: index.dim, rows: [...set.rows, ...extra.map((e) => set.rows[e.row]!)] };
}

/** Several annotation files as one training matrix. */
export function concatRows(parts: readonly FeatureRows[]): FeatureRows {
  const dim = parts[0]?.dim ?? 0;
  const features = new Float32Array(parts.reduce((n, p) => n + p.features.length, 0));
  let at = 0;
  for (const p of parts) {
    features.set(p.features, at);
    at += p.features.length;
  }
  return { features, dim, rows: parts.flatMap((p) => p.rows) };
}
