/** A feature extractor on a TF.js graph model: runs the graph to the named nodes for a batch. */
import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import type { BackboneInputSpec, FeatureExtractor, RgbImage } from '@affectzoo/core';
import { toInputTensor } from '../preprocess.js';
import type { TfjsBackend } from '../backends/tfjs.js';

export class TfjsGraphExtractor implements FeatureExtractor {
  private constructor(
    private readonly backend: TfjsBackend,
    private readonly model: GraphModel,
    /** Nodes whose (flattened) values are concatenated, in order. */
    private readonly nodes: readonly string[],
    readonly input: BackboneInputSpec,
    readonly featureSize: number,
  ) {}

  /** Wraps a loaded model; runs one image to learn the feature size. */
  static async create(backend: TfjsBackend, model: GraphModel, nodes: readonly string[], input: BackboneInputSpec): Promise<TfjsGraphExtractor> {
    const probe = new TfjsGraphExtractor(backend, model, nodes, input, 0);
    const blank: RgbImage = { data: new Uint8Array(input.width * input.height * 3), width: input.width, height: input.height };
    const size = (await probe.run([blank])).length;
    return new TfjsGraphExtractor(backend, model, nodes, input, size);
  }

  private async run(images: readonly RgbImage[]): Promise<Float32Array> {
    await this.backend.activate();
    const n = images.length;
    const { width: w, height: h } = this.input;
    const shape: [number, number, number, number] = this.input.layout === 'nhwc' ? [n, h, w, 3] : [n, 3, h, w];
    const pixels = toInputTensor(images, this.input);
    // Every intermediate lives inside tidy; only the concatenated result escapes, and it is
    // disposed once its data is read, so repeated calls hold no tensors.
    const out = tf.tidy(() => {
      const x = tf.tensor4d(pixels, shape);
      const result = this.model.execute(x, [...this.nodes]);
      const list = Array.isArray(result) ? result : [result];
      const flat = list.map((t) => tf.reshape(t, [n, -1]));
      return flat.length === 1 ? flat[0]! : tf.concat(flat, 1);
    });
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  }

  async extract(images: readonly RgbImage[]): Promise<Float32Array> {
    if (images.length === 0) return new Float32Array(0);
    return this.run(images);
  }

  async dispose(): Promise<void> {
    this.model.dispose();
  }
}
