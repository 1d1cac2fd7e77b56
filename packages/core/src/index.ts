/**
 * @affectzoo/core: the plugin registry, the typed config, ABAW data readers and the official ABAW
 * multi-task metrics. It imports no ML runtime; backbones, heads and backends are plugins.
 */
import { Registry } from './registry/registry.js';
import { abawMtlFormat, affWild2FoldersFormat } from './data/formats.js';

export { z } from 'zod';
export * from './labels.js';
export * from './errors.js';
export { writeFileAtomic } from './atomic.js';
export * from './data/annotations.js';
export * from './data/affwild2.js';
export * from './data/images.js';
export { abawMtlFormat, affWild2FoldersFormat } from './data/formats.js';
export * from './metrics/f1.js';
export * from './metrics/ccc.js';
export * from './metrics/abaw.js';
export * from './registry/registry.js';
export type { PluginProducts } from './registry/kinds.js';
export * from './registry/load-plugins.js';
export * from './config/schema.js';
export * from './config/load.js';
export * from './models/cache.js';
export * from './features/npy.js';
export * from './features/feature-set.js';
export type { AnnotationFormat } from './plugins/dataset.js';
export type { BackendPlugin, BackendRuntime } from './plugins/backend.js';
export type { BackbonePlugin, BackboneImageSpec, BackboneInputSpec, FeatureExtractor } from './plugins/backbone.js';
export type { HeadPlugin, HeadTask, HeadInput } from './plugins/head.js';
export type { OptimizerPlugin, OptimizerSettings } from './plugins/optimizer.js';
export type { LossPlugin } from './plugins/loss.js';
export type { DetectorPlugin, DetectedFace, FaceDetector } from './plugins/detector.js';

/** Register core's own factories (the annotation formats). */
export function register(registry: Registry): void {
  registry.register(abawMtlFormat);
  registry.register(affWild2FoldersFormat);
}

/** A registry with core's factories registered. */
export function createRegistry(): Registry {
  const registry = new Registry();
  register(registry);
  return registry;
}
