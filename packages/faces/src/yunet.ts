/**
 * The YuNet face detector (libfacedetection, `yunet_n_dynamic.onnx`) on ONNX Runtime.
 *
 * Input: BGR 0..255, NCHW, height and width multiples of 32 (we pad bottom/right with zeros).
 * Outputs per stride s in 8/16/32, one row per grid cell (row-major over the H/s x W/s grid):
 * `cls_s` and `obj_s` scores, `bbox_s` (dx, dy, log w, log h in stride units) and `kps_s`
 * (5 landmarks as offsets in stride units). Decoding follows OpenCV's FaceDetectorYN:
 * score = sqrt(clamp(cls) * clamp(obj)); centre = (cell + d) * s; size = exp(log size) * s.
 */
import * as ort from 'onnxruntime-node';
import type { FaceDetector, RgbImage } from '@affectzoo/core';
import { toFramePixels, type Face } from './types.js';
import { nms } from './nms.js';

export interface YuNetOptions {
  /** Least score a face needs. */
  scoreThreshold: number;
  /** IoU above which the weaker of two overlapping faces is dropped. */
  nmsThreshold: number;
  /** Most faces kept per image (best first). */
  topK: number;
  /** Longest side the image is scaled to before detection (speed against small-face recall); 0 keeps the size. */
  maxSide: number;
  /** ONNX Runtime intra-op threads (0: its default). */
  threads: number;
}

export const YUNET_DEFAULTS: YuNetOptions = { scoreThreshold: 0.6, nmsThreshold: 0.3, topK: 100, maxSide: 640, threads: 0 };

const STRIDES = [8, 16, 32] as const;

/** An RGB image: interleaved 8-bit pixels, row-major (core's `RgbImage`). */
export type RgbFrame = RgbImage;

export class YuNet implements FaceDetector {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly options: YuNetOptions,
  ) {}

  /** Load the detector from an ONNX file path or its bytes. */
  static async load(model: string | Uint8Array, options: Partial<YuNetOptions> = {}): Promise<YuNet> {
    const o = { ...YUNET_DEFAULTS, ...options };
    const sessionOptions: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all' };
    if (o.threads > 0) sessionOptions.intraOpNumThreads = o.threads;
    const session = typeof model === 'string'
      ? await ort.InferenceSession.create(model, sessionOptions)
      : await ort.InferenceSession.create(model, sessionOptions);
    return new YuNet(session, o);
  }

  /** Detect faces in an RGB frame; boxes and landmarks come back in the frame's pixels. */
  async detect(frame: RgbFrame): Promise<Face[]> {
    const { width, height } = frame;
    const scale = this.options.maxSide > 0 ? Math.min(1, this.options.maxSide / Math.max(width, height)) : 1;
    const w = Math.max(1, Math.round(width * scale));
    const h = Math.max(1, Math.round(height * scale));
    const paddedW = Math.ceil(w / 32) * 32;
    const paddedH = Math.ceil(h / 32) * 32;
    const input = toBgrPlanes(frame, w, h, paddedW, paddedH);
    const tensor = new ort.Tensor('float32', input, [1, 3, paddedH, paddedW]);
    const out = await this.session.run({ input: tensor });
    const faces = decode(out, paddedW, paddedH, this.options.scoreThreshold);
    const keep = nms(faces.map((f) => f.box), faces.map((f) => f.score), this.options.nmsThreshold).slice(0, this.options.topK);
    return keep.map((i) => toFramePixels(faces[i]!, width / w, height / h, width, height));
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

/** Resize (nearest-free: bilinear) an RGB frame into zero-padded BGR planes of `paddedW x paddedH`. */
function toBgrPlanes(frame: RgbFrame, w: number, h: number, paddedW: number, paddedH: number): Float32Array {
  const plane = paddedW * paddedH;
  const out = new Float32Array(3 * plane);
  const { data, width, height } = frame;
  const fx = width / w;
  const fy = height / h;
  for (let y = 0; y < h; y++) {
    const syf = Math.min(height - 1, Math.max(0, (y + 0.5) * fy - 0.5));
    const y0 = Math.floor(syf);
    const y1 = Math.min(height - 1, y0 + 1);
    const wy = syf - y0;
    for (let x = 0; x < w; x++) {
      const sxf = Math.min(width - 1, Math.max(0, (x + 0.5) * fx - 0.5));
      const x0 = Math.floor(sxf);
      const x1 = Math.min(width - 1, x0 + 1);
      const wx = sxf - x0;
      const i00 = (y0 * width + x0) * 3;
      const i01 = (y0 * width + x1) * 3;
      const i10 = (y1 * width + x0) * 3;
      const i11 = (y1 * width + x1) * 3;
      const o = y * paddedW + x;
      for (let c = 0; c < 3; c++) {
        const top = data[i00 + c]! + (data[i01 + c]! - data[i00 + c]!) * wx;
        const bottom = data[i10 + c]! + (data[i11 + c]! - data[i10 + c]!) * wx;
        // RGB in, BGR planes out.
        out[(2 - c) * plane + o] = top + (bottom - top) * wy;
      }
    }
  }
  return out;
}

function decode(out: ort.InferenceSession.OnnxValueMapType, width: number, height: number, threshold: number): Face[] {
  const faces: Face[] = [];
  for (const s of STRIDES) {
    const cls = out[`cls_${s}`]!.data as Float32Array;
    const obj = out[`obj_${s}`]!.data as Float32Array;
    const bbox = out[`bbox_${s}`]!.data as Float32Array;
    const kps = out[`kps_${s}`]!.data as Float32Array;
    const cols = width / s;
    const rows = height / s;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        const score = Math.sqrt(clamp01(cls[i]!) * clamp01(obj[i]!));
        if (score < threshold) continue;
        const cx = (c + bbox[i * 4]!) * s;
        const cy = (r + bbox[i * 4 + 1]!) * s;
        const w = Math.exp(bbox[i * 4 + 2]!) * s;
        const h = Math.exp(bbox[i * 4 + 3]!) * s;
        const landmarks: [number, number][] = [];
        for (let k = 0; k < 5; k++) landmarks.push([(kps[i * 10 + 2 * k]! + c) * s, (kps[i * 10 + 2 * k + 1]! + r) * s]);
        faces.push({ box: [cx - w / 2, cy - h / 2, w, h], landmarks, score });
      }
    }
  }
  return faces;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));
