/**
 * The built-in annotation formats (kind `dataset`), registered by `registerBuiltins`:
 * - `abaw-mtl`: the s-Aff-Wild2 multi-task file (`image,valence,arousal,expression,AU1..AU26`);
 * - `affwild2-folders`: a folder holding the per-task, per-video Aff-Wild2 folders.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Factory } from '../registry/registry.js';
import { readAnnotations } from './annotations.js';
import { readAffWild2Folders } from './affwild2.js';

export const abawMtlFormat: Factory<'dataset', Record<string, never>> = {
  kind: 'dataset',
  name: 'abaw-mtl',
  description: 's-Aff-Wild2 multi-task annotation file (CSV, ABAW sentinels for missing labels)',
  options: z.strictObject({}),
  create: () => ({ read: (file) => readAnnotations(file) }),
};

const affwild2Options = z.strictObject({
  va: z.string().default('VA_Estimation_Challenge').describe('VA folder, relative to the source folder.'),
  expr: z.string().default('EXPR_Classification_Challenge').describe('Expression folder, relative to the source folder.'),
  au: z.string().default('AU_Detection_Challenge').describe('AU folder, relative to the source folder.'),
  images: z.string().default('cropped_aligned').describe('Images folder (`<video>/<frame>.jpg`), relative to the source folder.'),
});

export const affWild2FoldersFormat: Factory<'dataset', z.output<typeof affwild2Options>> = {
  kind: 'dataset',
  name: 'affwild2-folders',
  description: 'per-task, per-video Aff-Wild2 annotation folders (VA, EXPR, AU), merged by frame',
  options: affwild2Options,
  create: (o) => ({
    read: async (root) => {
      const at = (p: string) => (existsSync(join(root, p)) ? join(root, p) : undefined);
      return readAffWild2Folders({ va: at(o.va), expr: at(o.expr), au: at(o.au), images: join(root, o.images) });
    },
  }),
};
