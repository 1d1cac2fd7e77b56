/**
 * The BlazeFace face detector (the 256x256 "back camera" model, MediaPipe, Apache-2.0) on TF.js.
 * Its graph model ships inside the npm package @vladmandic/human (MIT), so it needs no download.
 *
 * Decoding follows Human 3.3.6, `src/face/blazeface.ts` (`getBoxes`, `decodeBoxes`) and
 * `src/face/facemeshutil.ts` (`generateAnchors`, `scaleBoxCoordinates`):
 * - input 1x256x256x3 RGB scaled to -1..1 (x / 127.5 - 1);
 * - four outputs, 512 and 384 rows of [logit] and [16 regressors], concatenated 512 first (Human's
 *   size-sorted "pinto converted model" branch) into 896 rows of 17 values;
 * - anchors: stride 16 (16x16 grid, 2 anchors per cell) then stride 32 (8x8 grid, 6 per cell), at
 *   cell centres, all of size 1 in input pixels;
 * - row = [logit, dx, dy, w, h, 6 x (kx, ky)]: centre = anchor + (dx, dy), size = (w, h), keypoint
 *   = anchor + (kx, ky), all in input pixels; score = sigmoid(logit); greedy NMS on the boxes.
 * Departures from Human, and why: the image is letterboxed (aspect kept, black padding at the
 * bottom/right) instead of stretched, since stretching a wide group photo squeezes faces out of the
 * shapes the model knows; the box is the network's tight face box, not Human's 1.4x enlarged square
 * (that one is FaceMesh's crop), so it is comparable with YuNet's.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModelFile, TfjsBackend } from '@affectzoo/backbones';
import type { FaceDetector } from '@affectzoo/core';
import { toFramePixels, type Face } from './types.js';
import type { RgbFrame } from './yunet.js';
import { nms } from './nms.js';

export interface BlazeFaceOptions {
  /** Least score (sigmoid of the logit) a face needs. */
  scoreThreshold: number;
  /** IoU above which the weaker of two overlapping faces is dropped. */
  nmsThreshold: number;
  /** Most faces kept per image (best first). */
  topK: number;
}

export const BLAZEFACE_DEFAULTS: BlazeFaceOptions = { scoreThreshold: 0.5, nmsThreshold: 0.3, topK: 100 };

/** The model's input side, fixed by its graph (Human reads it from `model.inputs[0].shape`). */
export const BLAZEFACE_INPUT = 256;

/**
 * BlazeFace's six keypoints, in the order `detect` returns them (the network's order; the subject's
 * right eye is on the image's left): image-left eye, image-right eye, nose tip, mouth centre,
 * image-left ear tragion, image-right ear tragion. `align` tells this layout from YuNet's five
 * points by the count.
 */
export const BLAZEFACE_LANDMARKS = ['left eye', 'right eye', 'nose tip', 'mouth centre', 'left ear tragion', 'right ear tragion'] as const;

const KEYPOINTS = BLAZEFACE_LANDMARKS.length;
const ROW = 1 + 4 + 2 * KEYPOINTS;

const require = createRequire(import.meta.url);

/** blazeface.json inside the installed @vladmandic/human package (its `main` is dist/human.node.js). */
export function blazefaceModelFile(): string {
  return join(dirname(require.resolve('@vladmandic/human')), '..', 'models', 'blazeface.json');
}

/** Anchor centres in input pixels, as Human's `generateAnchors(256)`. */
export function blazefaceAnchors(inputSize = BLAZEFACE_INPUT): Float32Array {
  const spec = [{ stride: inputSize / 16, count: 2 }, { stride: inputSize / 8, count: 6 }];
  const out: number[] = [];
  for (const { stride, count } of spec) {
    const cells = Math.floor((inputSize + stride - 1) / stride);
    for (let gy = 0; gy < cells; gy++) {
      for (let gx = 0; gx < cells; gx++) {
        for (let n = 0; n < count; n++) out.push(stride * (gx + 0.5), stride * (gy + 0.5));
      }
    }
  }
  return Float32Array.from(out);
}

/** What `execute` needs of a TF.js graph model (keeps @tensorflow/tfjs-converter a backbones detail). */
interface Graph {
  execute(input: tf.Tensor): tf.Tensor | tf.Tensor[];
  dispose(): void;
}

export class BlazeFace implements FaceDetector {
  private readonly anchors = blazefaceAnchors();

  private constructor(
    private readonly model: Graph,
    readonly options: BlazeFaceOptions,
  ) {}

  /**
   * Load the detector (default: the model inside @vladmandic/human). It runs on the active TF.js
   * backend; when none has been chosen yet it sets up `wasm`, the project's default.
   */
  static async load(modelJson: string = blazefaceModelFile(), options: Partial<BlazeFaceOptions> = {}): Promise<BlazeFace> {
    // `backendName` stays null until some backend was set; reading `tf.getBackend()` instead would
    // try to initialise wasm without its file paths.
    if (!tf.engine().backendName) await TfjsBackend.create('wasm');
    const { model } = await loadGraphModelFile(modelJson);
    return new BlazeFace(model, { ...BLAZEFACE_DEFAULTS, ...options });
  }

  /** Detect faces in an RGB frame; boxes and the six landmarks come back in the frame's pixels. */
  async detect(frame: RgbFrame): Promise<Face[]> {
    const { width, height } = frame;
    const scale = BLAZEFACE_INPUT / Math.max(width, height);
    const rw = Math.max(1, Math.round(width * scale));
    const rh = Math.max(1, Math.round(height * scale));
    const rows = tf.tidy(() => {
      const image = tf.cast(tf.tensor3d(frame.data, [height, width, 3], 'int32'), 'float32');
      const resized = tf.image.resizeBilinear(image, [rh, rw], false, true);
      const normalized = tf.sub(tf.div(resized, 127.5), 1);
      // Black padding, as Human's square mode pads the 0..255 image with zeros before scaling.
      const input = tf.expandDims(tf.pad(normalized, [[0, BLAZEFACE_INPUT - rh], [0, BLAZEFACE_INPUT - rw], [0, 0]], -1), 0);
      const out = this.model.execute(input);
      const outputs = Array.isArray(out) ? out : [out];
      if (outputs.length !== 4) throw new Error(`blazeface: expected 4 outputs, the model gave ${outputs.length}`);
      // Smallest first: 384x1, 512x1, 384x16, 512x16 (as Human sorts them).
      const [c384, c512, r384, r512] = [...outputs].sort((a, b) => a.size - b.size) as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      return tf.reshape(tf.concat([tf.concat([c512, r512], 2), tf.concat([c384, r384], 2)], 1), [-1, ROW]);
    });
    let data: Float32Array;
    try {
      data = (await rows.data()) as Float32Array;
    } finally {
      rows.dispose();
    }
    const faces = this.decode(data);
    const keep = nms(faces.map((f) => f.box), faces.map((f) => f.score), this.options.nmsThreshold).slice(0, this.options.topK);
    // Input pixels back to frame pixels (per axis: rounding made rw/rh slightly off the exact scale).
    const sx = width / rw;
    const sy = height / rh;
    return keep.map((i) => toFramePixels(faces[i]!, sx, sy, width, height));
  }

  /** Rows above the score threshold, as faces in input pixels. */
  private decode(data: Float32Array): Face[] {
    const faces: Face[] = [];
    const anchorCount = this.anchors.length / 2;
    // sigmoid(logit) >= t  <=>  logit >= logit(t): skip the exp for the many empty anchors.
    const t = this.options.scoreThreshold;
    const minLogit = t <= 0 ? -Infinity : t >= 1 ? Infinity : Math.log(t / (1 - t));
    for (let i = 0; i < anchorCount; i++) {
      const r = i * ROW;
      if (data[r]! < minLogit) continue;
      const ax = this.anchors[2 * i]!, ay = this.anchors[2 * i + 1]!;
      const cx = ax + data[r + 1]!, cy = ay + data[r + 2]!;
      const w = data[r + 3]!, h = data[r + 4]!;
      const landmarks: [number, number][] = [];
      for (let k = 0; k < KEYPOINTS; k++) landmarks.push([ax + data[r + 5 + 2 * k]!, ay + data[r + 6 + 2 * k]!]);
      faces.push({ box: [cx - w / 2, cy - h / 2, w, h], landmarks, score: 1 / (1 + Math.exp(-data[r]!)) });
    }
    return faces;
  }

  async dispose(): Promise<void> {
    this.model.dispose();
  }
}
