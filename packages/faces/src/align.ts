/**
 * Face alignment: a similarity transform (rotation, uniform scale, translation) fitted by least
 * squares to the landmarks, mapping them onto a reference template, then a bilinear warp of the
 * face into the backbone's input size. The template is the common 112x112 ArcFace one, scaled to
 * the output size (with extra margin when asked).
 *
 * Two landmark layouts, told apart by their count: 5 points (YuNet; core's `DetectedFace` order:
 * eyes, nose tip, mouth corners) fit the template as it is; 6 points (BlazeFace: eyes, nose tip,
 * mouth centre, ear tragions) fit their first four against the template's eyes, nose and the
 * midpoint of its mouth corners. The ears are left out: the template has no points for them.
 */
import type { Face } from './types.js';
import type { RgbFrame } from './yunet.js';

/** ArcFace's 5-point template for a 112x112 crop: image-left eye, image-right eye, nose, mouth corners. */
const TEMPLATE_112: readonly [number, number][] = [
  [38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041],
];

/** `[a, -b, tx; b, a, ty]`: maps source (frame) points to destination (crop) points. */
export type Similarity = [number, number, number, number];

/**
 * Least-squares similarity from `src` to `dst` points (Umeyama without reflection, closed form in 2D):
 * with centred points, a = sum(x.u + y.v) / sum|x|^2 and b = sum(x.v - y.u) / sum|x|^2.
 */
export function fitSimilarity(src: readonly [number, number][], dst: readonly [number, number][]): Similarity {
  const n = src.length;
  let sx = 0, sy = 0, dx = 0, dy = 0;
  for (let i = 0; i < n; i++) {
    sx += src[i]![0]; sy += src[i]![1]; dx += dst[i]![0]; dy += dst[i]![1];
  }
  sx /= n; sy /= n; dx /= n; dy /= n;
  let num1 = 0, num2 = 0, den = 0;
  for (let i = 0; i < n; i++) {
    const x = src[i]![0] - sx, y = src[i]![1] - sy;
    const u = dst[i]![0] - dx, v = dst[i]![1] - dy;
    num1 += x * u + y * v;
    num2 += x * v - y * u;
    den += x * x + y * y;
  }
  const a = den === 0 ? 1 : num1 / den;
  const b = den === 0 ? 0 : num2 / den;
  return [a, b, dx - (a * sx - b * sy), dy - (b * sx + a * sy)];
}

export interface AlignOptions {
  width: number;
  height: number;
  /** `landmarks`: similarity transform on the landmarks (5 or 6, see above); `box`: the detection box with margin, no rotation. */
  method: 'landmarks' | 'box';
  /** Extra context around the face, as a fraction of the face size (0: the tight ArcFace framing). */
  margin: number;
}

/** The template scaled to `width x height` with `margin` extra context. */
function template(width: number, height: number, margin: number): [number, number][] {
  const s = 1 / (1 + 2 * margin);
  return TEMPLATE_112.map(([x, y]) => [((x - 56) * s + 56) * (width / 112), ((y - 56) * s + 56) * (height / 112)]);
}

/** The transform that `alignFace` applies (frame pixels to crop pixels). */
/** The landmarks that alignment uses and the template points they map to, per layout (see above). */
function correspondences(landmarks: readonly [number, number][], tpl: readonly [number, number][]): { src: [number, number][]; dst: [number, number][] } {
  if (landmarks.length === 5) return { src: [...landmarks], dst: [...tpl] };
  if (landmarks.length === 6) {
    const [l, r, nose, mouthLeft, mouthRight] = tpl as [[number, number], [number, number], [number, number], [number, number], [number, number]];
    const mouth: [number, number] = [(mouthLeft[0] + mouthRight[0]) / 2, (mouthLeft[1] + mouthRight[1]) / 2];
    return { src: landmarks.slice(0, 4), dst: [l, r, nose, mouth] };
  }
  throw new Error(`landmark alignment needs 5 (eyes, nose, mouth corners) or 6 (BlazeFace) landmarks, the face has ${landmarks.length}; use box alignment`);
}

export function alignmentTransform(face: Face, o: AlignOptions): Similarity {
  if (o.method === 'landmarks') {
    const { src, dst } = correspondences(face.landmarks, template(o.width, o.height, o.margin));
    return fitSimilarity(src, dst);
  }
  const [x, y, w, h] = face.box;
  const side = Math.max(w, h) * (1 + 2 * o.margin);
  const scale = o.width / side;
  return [scale, 0, o.width / 2 - (x + w / 2) * scale, o.height / 2 - (y + h / 2) * scale];
}

/**
 * Warp the face into an RGB crop of `o.width x o.height` (bilinear, pixel centres mapped onto pixel
 * centres; edge pixels repeat up to half a pixel outside the frame, beyond that is black).
 */
export function alignFace(frame: RgbFrame, face: Face, o: AlignOptions): RgbFrame {
  const [a, b, tx, ty] = alignmentTransform(face, o);
  // Invert the similarity: frame = R^-1 (crop - t) / scale.
  const det = a * a + b * b;
  const ia = a / det, ib = -b / det;
  const out = new Uint8Array(o.width * o.height * 3);
  const { data, width, height } = frame;
  for (let v = 0; v < o.height; v++) {
    for (let u = 0; u < o.width; u++) {
      const cu = u + 0.5 - tx, cv = v + 0.5 - ty;
      const x = ia * cu - ib * cv - 0.5;
      const y = ib * cu + ia * cv - 0.5;
      if (x < -0.5 || y < -0.5 || x > width - 0.5 || y > height - 0.5) continue;
      const xc = Math.min(width - 1, Math.max(0, x)), yc = Math.min(height - 1, Math.max(0, y));
      const x0 = Math.floor(xc), y0 = Math.floor(yc);
      const x1 = Math.min(width - 1, x0 + 1), y1 = Math.min(height - 1, y0 + 1);
      const wx = xc - x0, wy = yc - y0;
      const i00 = (y0 * width + x0) * 3, i01 = (y0 * width + x1) * 3;
      const i10 = (y1 * width + x0) * 3, i11 = (y1 * width + x1) * 3;
      const o3 = (v * o.width + u) * 3;
      for (let c = 0; c < 3; c++) {
        const top = data[i00 + c]! + (data[i01 + c]! - data[i00 + c]!) * wx;
        const bottom = data[i10 + c]! + (data[i11 + c]! - data[i10 + c]!) * wx;
        out[o3 + c] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return { data: out, width: o.width, height: o.height };
}
