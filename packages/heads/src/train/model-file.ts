/**
 * The trained model file `model.azw`: the head configs (names and options, in order), the feature
 * size, the standardisation and every head variable. `loadModel` rebuilds the heads through the
 * registry, so a model file runs wherever its head plugins are installed.
 */
import type { ComponentRef, Registry } from '@affectzoo/core';
import { asTfHead } from '../heads/types.js';
import { HeadStack } from './model.js';
import type { Standardizer } from './data.js';
import { readTensorFile, writeTensorFile } from './tensor-file.js';

export interface ModelMeta {
  format: 'affectzoo-heads';
  version: 1;
  inputSize: number;
  heads: ComponentRef[];
  standardized: boolean;
}

export async function saveModel(file: string, model: HeadStack, std: Standardizer | null): Promise<void> {
  const meta: ModelMeta = {
    format: 'affectzoo-heads', version: 1, inputSize: model.inputSize,
    heads: model.heads.map((h) => ({ name: h.ref.name, options: h.ref.options ?? {} })), standardized: std !== null,
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
  const heads = [];
  for (const [i, ref] of meta.heads.entries()) heads.push({ ref, plugin: asTfHead(await registry.create('head', ref, `heads[${i}]`)) });
  const model = new HeadStack(heads, meta.inputSize, 0);
  model.load(tensors);
  const mean = tensors.get('std/mean');
  const std = tensors.get('std/std');
  return { model, standardizer: meta.standardized && mean && std ? { mean: mean.data, std: std.data } : null, meta };
}
