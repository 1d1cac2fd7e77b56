/**
 * The one affectzoo config: backbone, heads, losses, optimizer, backend, data and schedule.
 * Every field is documented here, with its default; the JSON Schema for editors
 * (`@affectzoo/core/schema/config.schema.json`) is generated from this file at build time.
 *
 * Components (backend, backbone, heads, losses, optimizer) are `{ name, options }` references to
 * registered factories; their options are validated by each factory's own schema once the
 * plugins are loaded (`validateComponents`).
 */
import { z } from 'zod';
import { isPackageName } from '../registry/load-plugins.js';

export const componentSchema = z.strictObject({
  name: z.string().min(1).describe('Registered name of the component (see `affectzoo plugins`).'),
  options: z.record(z.string(), z.unknown()).default({}).describe('Options of the component, checked against its own schema.'),
});

export const headComponentSchema = componentSchema.extend({
  task: z.enum(['au', 'expression', 'va', 'multi']).optional()
    .describe('The task this head answers; defaults to the head\'s own declaration.'),
});

const lossSchema = componentSchema.extend({
  task: z.enum(['au', 'expression', 'va']).describe('The task whose labels this loss uses (masked per task).'),
  weight: z.number().nonnegative().default(1).describe('Weight of this loss in the joint objective.'),
});

const dataSchema = z.strictObject({
  format: z.string().default('abaw-mtl')
    .describe('Annotation format (a registered `dataset`): `abaw-mtl` (s-Aff-Wild2 multi-task file) or `affwild2-folders`.'),
  train: z.array(z.string()).default([]).describe('Training annotation files, relative to the config file.'),
  val: z.array(z.string()).default([]).describe('Validation annotation files, relative to the config file.'),
  features: z.string().default('features').describe('Folder of the cached feature files, relative to the config file.'),
  onBadImage: z.enum(['stop', 'skip']).default('stop')
    .describe('A missing or corrupt image stops the run (`stop`) or is skipped and counted (`skip`).'),
});

const extractSchema = z.strictObject({
  batchSize: z.number().int().positive().default(32).describe('Images per backbone batch.'),
  augmentCopies: z.number().int().nonnegative().default(0)
    .describe('Augmented copies per image (random resized crop, colour jitter, flip); 0 for the plain pass only.'),
});

const trainSchema = z.strictObject({
  schedule: z.enum(['staged', 'joint']).default('staged')
    .describe('`staged`: AU, then expression, then VA (the competition schedule); `joint`: all losses at once.'),
  epochs: z.number().int().positive().default(100).describe('Epochs per stage (ignored when `steps` is set).'),
  steps: z.number().int().positive().optional().describe('Optimizer steps per stage; overrides `epochs` (use it on small data sets).'),
  batchSize: z.number().int().positive().default(256).describe('Training batch size.'),
  lr: z.number().positive().default(1e-3).describe('Learning rate.'),
  lrSchedule: z.enum(['constant', 'cosine']).default('constant').describe('Learning-rate schedule.'),
  weightDecay: z.number().nonnegative().default(1 / 256).describe('Weight decay.'),
  standardize: z.boolean().default(false).describe('Standardise features with the training mean and std before the heads.'),
  stageSteps: z.strictObject({
    au: z.number().int().positive().optional(),
    expression: z.number().int().positive().optional(),
    va: z.number().int().positive().optional(),
  }).optional().describe('Optimizer steps of one stage of the staged schedule, overriding `steps` for it (the AU stage is the costly one).'),
  evalEvery: z.number().int().positive().optional()
    .describe('Optimizer steps between validations (and checkpoints); defaults to one epoch of the stage.'),
  out: z.string().default('runs/model').describe('Output folder for checkpoints, relative to the config file.'),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
  seed: z.number().int().nonnegative().default(0).describe('Seed for initialisation, sampling and augmentation.'),
  plugins: z.array(z.string().refine(isPackageName, 'must be an npm package name (plugins load from node_modules, never from paths)'))
    .default([]).describe('Extra plugin packages to load; the built-in packages are always loaded.'),
  backend: componentSchema.prefault({ name: 'wasm' }).describe('Compute backend: `wasm` (default), `cpu`, `tensorflow`, `onnx`.'),
  backbone: componentSchema.prefault({ name: 'faceres' }).describe('Frozen feature extractor.'),
  heads: z.array(headComponentSchema).default([]).describe('Heads on the features, in evaluation order.'),
  losses: z.array(lossSchema).default([]).describe('Losses, each on one task\'s labelled frames.'),
  optimizer: componentSchema.prefault({ name: 'adamw' }).describe('Optimizer (for example `sam` wrapping `sgd`).'),
  data: dataSchema.prefault({}),
  extract: extractSchema.prefault({}),
  train: trainSchema.prefault({}),
});

/** The config as written in a file (every field optional where it has a default). */
export type AffectzooConfigInput = z.input<typeof configSchema>;
/** The validated config with every default filled in. */
export type AffectzooConfig = z.output<typeof configSchema>;
export type ComponentConfig = z.output<typeof componentSchema>;

/** The JSON Schema of the config file (as written, so defaulted fields are optional). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
