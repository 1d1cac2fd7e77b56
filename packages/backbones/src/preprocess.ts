/**
 * Pixels to network input: 8-bit RGB HWC images to one float32 batch in the layout, channel order
 * and normalisation a backbone declares. Plain JS on purpose: it is the same code for every
 * runtime, so cross-backend parity never depends on two preprocessing implementations.
 */
import type { BackboneInputSpec, RgbImage } from '@affectzoo/core';

export function toInputTensor(images: readonly RgbImage[], spec: BackboneInputSpec): Float32Array {
  const { width, height } = spec;
  const hw = width * height;
  const out = new Float32Array(images.length * 3 * hw);
  // Per network channel c: value = pixel * a[c] + b[c], reading source channel src[c].
  const a = [0, 1, 2].map((c) => spec.scale / spec.std[c]!);
  const b = [0, 1, 2].map((c) => -spec.mean[c]! / spec.std[c]!);
  const src = spec.colorOrder === 'rgb' ? [0, 1, 2] : [2, 1, 0];
  const [a0, a1, a2] = a as [number, number, number];
  const [b0, b1, b2] = b as [number, number, number];
  const [s0, s1, s2] = src as [number, number, number];
  images.forEach((img, i) => {
    if (img.width !== width || img.height !== height) {
      throw new Error(`image ${i} of the batch is ${img.width}x${img.height}; the backbone wants ${width}x${height}`);
    }
    const d = img.data;
    const base = i * 3 * hw;
    if (spec.layout === 'nhwc') {
      for (let p = 0, q = base; p < hw * 3; p += 3, q += 3) {
        out[q] = d[p + s0]! * a0 + b0;
        out[q + 1] = d[p + s1]! * a1 + b1;
        out[q + 2] = d[p + s2]! * a2 + b2;
      }
    } else {
      for (let p = 0; p < hw; p++) {
        const k = p * 3;
        out[base + p] = d[k + s0]! * a0 + b0;
        out[base + hw + p] = d[k + s1]! * a1 + b1;
        out[base + 2 * hw + p] = d[k + s2]! * a2 + b2;
      }
    }
  });
  return out;
}

/** Concatenate per-output row blocks into one `[rows, sum of widths]` matrix. */
export function concatColumns(parts: readonly { data: Float32Array; width: number }[], rows: number): Float32Array {
  const total = parts.reduce((s, p) => s + p.width, 0);
  if (parts.length === 1) return parts[0]!.data;
  const out = new Float32Array(rows * total);
  for (let r = 0; r < rows; r++) {
    let col = 0;
    for (const p of parts) {
      out.set(p.data.subarray(r * p.width, (r + 1) * p.width), r * total + col);
      col += p.width;
    }
  }
  return out;
}
