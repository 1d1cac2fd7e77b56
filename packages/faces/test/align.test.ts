import { describe, expect, it } from 'vitest';
import { alignFace, alignmentTransform, fitSimilarity } from '../src/align.js';
import type { Face } from '../src/types.js';

const apply = ([a, b, tx, ty]: number[], [x, y]: [number, number]) => [a! * x - b! * y + tx!, b! * x + a! * y + ty!];

describe('fitSimilarity', () => {
  it('recovers a known rotation, scale and shift exactly', () => {
    const angle = 0.3, scale = 1.7, t: [number, number] = [12, -5];
    const T = [scale * Math.cos(angle), scale * Math.sin(angle), t[0], t[1]];
    const src: [number, number][] = [[10, 20], [40, 22], [25, 35], [12, 50], [38, 52]];
    const dst = src.map((p) => apply(T, p) as [number, number]);
    const fitted = fitSimilarity(src, dst);
    fitted.forEach((v, i) => expect(v).toBeCloseTo(T[i]!, 9));
  });
});

describe('alignFace', () => {
  it('maps the landmarks of an upright face onto the template, and copies pixels', () => {
    // A synthetic frame whose pixel value encodes its x coordinate, and a face at scale 2 of the template.
    const width = 300, height = 300;
    const data = new Uint8Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(Math.min(255, x), (y * width + x) * 3, (y * width + x) * 3 + 3);
    const tpl: [number, number][] = [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [41.5493, 92.3655], [70.7299, 92.2041]];
    const face: Face = { box: [20, 20, 224, 224], landmarks: tpl.map(([x, y]) => [x * 2 + 20, y * 2 + 20]), score: 1 };
    const o = { width: 112, height: 112, method: 'landmarks' as const, margin: 0 };
    const T = alignmentTransform(face, o);
    expect(T[0]).toBeCloseTo(0.5, 9);
    expect(T[1]).toBeCloseTo(0, 9);
    const crop = alignFace({ data, width, height }, face, o);
    // Crop pixel centre u + 0.5 maps to frame 2(u + 0.5) + 20, pixel coordinate 2u + 20.5, so its value is 2u + 20.5 (rounded up).
    expect(crop.data[(50 * 112 + 30) * 3]).toBe(81);
    expect(crop.data[(50 * 112 + 100) * 3]).toBe(221);
  });

  it('box mode centres the box with its margin, without rotation', () => {
    const face: Face = { box: [100, 50, 40, 60], landmarks: [], score: 1 };
    const [a, b, tx, ty] = alignmentTransform(face, { width: 224, height: 224, method: 'box', margin: 0.25 });
    expect(b).toBe(0);
    expect(a).toBeCloseTo(224 / 90, 9);
    expect(a * 120 + tx).toBeCloseTo(112, 9);
    expect(a * 80 + ty).toBeCloseTo(112, 9);
  });
});
