/**
 * The trained model file `model.azw`: the head configs (names and options, in order), the feature
 * size, the standardisation and every head variable. `loadModel` rebuilds the heads through the
 * registry, so a model file runs wherever its head plugins are installed.
 */
import { NUM_AUS, type ComponentRef, type Registry } from '@affectzoo/core';
import { asTfHead } from '../heads/types.js';
import { HeadStack } from './model.js';
import type { Standardizer } from './data.js';
import { readTensorFile, writeTensorFile } from './tensor-file.js';

/**
 * Version 1: heads, standardisation, variables. Version 2 adds `auThresholds` (per-AU decision
 * thresholds, see calibration.ts); a model without them is still written as version 1, so files
 * stay readable by older releases unless they carry something those would silently drop.
 */
export interface ModelMeta {
  format: 'affectzoo-heads';
  version: 1 | 2;
  inputSize: number;
  heads: ComponentRef[];
  standardized: boolean;
  auThresholds?: number[];
}

export async function saveModel(file: string, model: HeadStack, std: Standardizer | null): Promise<void> {
  const meta: ModelMeta = {
    format: 'affectzoo-heads', version: model.auThresholds ? 2 : 1, inputSize: model.inputSize,
    heads: model.heads.map((h) => ({ name: h.ref.name, options: h.ref.options ?? {} })), standardized: std !== null,
    ...(model.auThresholds ? { auThresholds: [...model.auThresholds] } : {}),
  };
  const extra = std ? [{ name: 'std/mean', shape: [std.mean.length], data: std.mean }, { name: 'std/std', shape: [std.std.length], data: std.std }] : [];
  await writeTensorFile(file, meta, [...model.snapshot(), ...extra]);
}

export interface LoadedModel {
  model: HeadStack;
  standardizer: Standardizer | null;
  meta: ModelMeta;
}

export async function loadModel(file: string, registry: Registry): Promise<LoadedModel> {
  const { meta, tensors } = await readTensorFile<ModelMeta>(file);
  if (meta.format !== 'affectzoo-heads') throw new Error(`${file} is not an affectzoo heads model`);
  if (meta.version !== 1 && meta.version !== 2) throw new Error(`${file} is a version ${String(meta.version)} heads model; this release reads versions 1 and 2`);
  const heads = [];
  for (const [i, ref] of meta.heads.entries()) heads.push({ ref, plugin: asTfHead(await registry.create('head', ref, `heads[${i}]`)) });
  const model = new HeadStack(heads, meta.inputSize, 0);
  model.load(tensors);
  if (meta.auThresholds) {
    if (meta.auThresholds.length !== NUM_AUS || meta.auThresholds.some((t) => !(t > 0 && t < 1))) throw new Error(`${file}: auThresholds must be ${NUM_AUS} numbers in (0, 1)`);
    model.auThresholds = [...meta.auThresholds];
  }
  const mean = tensors.get('std/mean');
  const std = tensors.get('std/std');
  return { model, standardizer: meta.standardized && mean && std ? { mean: mean.data, std: std.data } : null, meta };
}
