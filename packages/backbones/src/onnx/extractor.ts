/** A feature extractor on an ONNX Runtime session: runs the model to the named outputs for a batch. */
import * as ort from 'onnxruntime-node';
import type { BackboneInputSpec, FeatureExtractor, RgbImage } from '@affectzoo/core';
import { concatColumns, toInputTensor } from '../preprocess.js';

export class OnnxExtractor implements FeatureExtractor {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly inputName: string,
    /** Outputs whose (flattened) values are concatenated, in order. */
    private readonly outputs: readonly string[],
    readonly input: BackboneInputSpec,
    readonly featureSize: number,
  ) {}

  /** Wraps a session; runs one image to learn the feature size. */
  static async create(session: ort.InferenceSession, outputs: readonly string[], input: BackboneInputSpec): Promise<OnnxExtractor> {
    const inputName = session.inputNames[0];
    if (inputName === undefined) throw new Error('the ONNX model has no input');
    const probe = new OnnxExtractor(session, inputName, outputs, input, 0);
    const blank: RgbImage = { data: new Uint8Array(input.width * input.height * 3), width: input.width, height: input.height };
    const size = (await probe.extract([blank])).length;
    return new OnnxExtractor(session, inputName, outputs, input, size);
  }

  async extract(images: readonly RgbImage[]): Promise<Float32Array> {
    const n = images.length;
    if (n === 0) return new Float32Array(0);
    const { width: w, height: h } = this.input;
    const dims = this.input.layout === 'nchw' ? [n, 3, h, w] : [n, h, w, 3];
    const feeds = { [this.inputName]: new ort.Tensor('float32', toInputTensor(images, this.input), dims) };
    const result = await this.session.run(feeds, [...this.outputs]);
    const parts = this.outputs.map((name) => {
      const t = result[name]!;
      const data = t.data as Float32Array;
      return { data, width: data.length / n };
    });
    // CPU output tensors are plain JS arrays, collected like any other; nothing to release.
    return concatColumns(parts, n);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}
