/**
 * What a `backbone` factory creates: a frozen feature extractor. It declares the input it wants
 * (size, colour order, layout, normalisation) and the size of its features, so callers never
 * hard-code 224 or 1024: they decode images to `input.width x input.height` RGB and hand them over.
 */
import type { RgbImage } from '../data/images.js';
import type { BackendPlugin } from './backend.js';

/** The images a backbone wants. Images are always handed over as 8-bit RGB HWC at this size. */
export interface BackboneImageSpec {
  width: number;
  height: number;
  /** Channel order the network expects; RGB images are reordered for `bgr`. */
  colorOrder: 'rgb' | 'bgr';
  /** value = (pixel * scale - mean[c]) / std[c], with pixel in 0..255 and c in network order. */
  scale: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
}

/** The loaded model's full input description: the images plus the tensor layout of its runtime. */
export interface BackboneInputSpec extends BackboneImageSpec {
  layout: 'nhwc' | 'nchw';
}

/** A backbone loaded on a backend, ready to run. */
export interface FeatureExtractor {
  readonly input: BackboneInputSpec;
  /** Length of one image's feature vector. */
  readonly featureSize: number;
  /**
   * Features of a batch of images, each `input.width x input.height` RGB: a row-major
   * `[images.length, featureSize]` matrix. Holds no runtime memory after it resolves.
   */
  extract(images: readonly RgbImage[]): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export interface BackbonePlugin {
  /** The registered name of the factory that made it. */
  readonly name: string;
  /** The images it wants, known before any model is loaded. */
  readonly input: BackboneImageSpec;
  /** Feature size when known before loading (a generic model learns it at load time). */
  readonly featureSize?: number;
  /** A stable description of the model and options, recorded with extracted features so a resume never mixes models. */
  readonly fingerprint: string;
  /** Load the model on a backend; a backend whose runtime it cannot use is a `ConfigError`. */
  load(backend: BackendPlugin): Promise<FeatureExtractor>;
}
