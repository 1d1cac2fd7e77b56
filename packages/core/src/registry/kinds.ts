/**
 * What a factory of each kind creates. The interfaces live in `../plugins/`, one file per kind,
 * so that a plugin author reads one file to learn what to build.
 */
import type { AnnotationFormat } from '../plugins/dataset.js';
import type { BackendPlugin } from '../plugins/backend.js';
import type { BackbonePlugin } from '../plugins/backbone.js';
import type { HeadPlugin } from '../plugins/head.js';
import type { OptimizerPlugin } from '../plugins/optimizer.js';
import type { LossPlugin } from '../plugins/loss.js';
import type { DetectorPlugin } from '../plugins/detector.js';

export interface PluginProducts {
  dataset: AnnotationFormat;
  backend: BackendPlugin;
  backbone: BackbonePlugin;
  head: HeadPlugin;
  optimizer: OptimizerPlugin;
  loss: LossPlugin;
  detector: DetectorPlugin;
}
