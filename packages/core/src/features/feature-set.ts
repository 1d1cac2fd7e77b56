/**
 * A feature folder, as `affectzoo extract` writes it and the trainer reads it:
 *
 * - `features.npy`: float32 C-order `[rows, featureSize]`, one row per kept image, in annotation order;
 * - `features_aug.npy` (only with augmented copies): float32 `[copies, rows, featureSize]`, copy k
 *   of row i at `[k, i]`, same row order;
 * - `index.csv`: the annotation format (`image,valence,arousal,expression,AU1,...,AU26`, sentinels
 *   for missing labels), row i describing feature row i; image paths as in the annotation file;
 * - `meta.json`: what produced them (`FeatureMeta`).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatAnnotations, parseAnnotations, type FrameLabels } from '../data/annotations.js';
import { InputError } from '../errors.js';
import { readNpy } from './npy.js';

export const FEATURES_FILE = 'features.npy';
export const AUGMENTED_FILE = 'features_aug.npy';
export const INDEX_FILE = 'index.csv';
export const META_FILE = 'meta.json';

export interface FeatureMeta {
  /** Format version of this folder. */
  version: 1;
  /** The annotation file the rows come from (absolute). */
  annotations: string;
  backbone: string;
  /** The backbone's fingerprint (model and options). */
  fingerprint: string;
  backend: string;
  featureSize: number;
  rows: number;
  augmentCopies: number;
  seed: number;
  /** Images skipped as missing or corrupt (`data.onBadImage: skip`), with the reason. */
  skipped: { image: string; reason: string }[];
}

export interface FeatureSet {
  /** Row-major `[rows, featureSize]`. */
  features: Float32Array;
  shape: [number, number];
  /** Labels of each feature row. */
  rows: FrameLabels[];
  /** Augmented copies `[copies, rows, featureSize]`, when extracted. */
  augmented?: { data: Float32Array; shape: [number, number, number] };
  meta: FeatureMeta;
}

/** The index file's text for the given rows. */
export function formatFeatureIndex(rows: readonly FrameLabels[]): string {
  return formatAnnotations(rows);
}

/** Read a feature folder; a folder whose files disagree in row count is an `InputError`. */
export async function readFeatures(dir: string): Promise<FeatureSet> {
  const indexFile = join(dir, INDEX_FILE);
  let text: string;
  try {
    text = await readFile(indexFile, 'utf8');
  } catch {
    throw new InputError(indexFile, undefined, 'no feature index here; run `affectzoo extract` first');
  }
  const rows = parseAnnotations(text, indexFile);
  const metaFile = join(dir, META_FILE);
  const meta = JSON.parse(await readFile(metaFile, 'utf8')) as FeatureMeta;
  const plain = await readNpy(join(dir, FEATURES_FILE));
  if (plain.shape.length !== 2 || plain.shape[0] !== rows.length) {
    throw new InputError(join(dir, FEATURES_FILE), undefined, `shape (${plain.shape.join(', ')}) does not match the ${rows.length} rows of ${INDEX_FILE}`);
  }
  const set: FeatureSet = { features: plain.data, shape: [plain.shape[0], plain.shape[1]!], rows, meta };
  if (meta.augmentCopies > 0) {
    const aug = await readNpy(join(dir, AUGMENTED_FILE));
    const [c, n, d] = aug.shape;
    if (aug.shape.length !== 3 || n !== rows.length || d !== plain.shape[1]) {
      throw new InputError(join(dir, AUGMENTED_FILE), undefined, `shape (${aug.shape.join(', ')}) does not match (copies, ${rows.length}, ${plain.shape[1]})`);
    }
    set.augmented = { data: aug.data, shape: [c!, n!, d!] };
  }
  return set;
}
