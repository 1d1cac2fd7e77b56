/**
 * The seeded augmentation of the augmented extraction pass, as the MT-CAN authors published
 * their augmented features: resize to 228/224 of the input size, random crop to the input size,
 * colour jitter (brightness, contrast, saturation 0.4, hue 0.1) with probability 0.8, horizontal
 * flip with probability 0.5. Each image's randomness comes from (seed, copy, row) alone, so a
 * resumed or re-batched run produces the same copies.
 */
import { decodeImage, type RgbImage } from '@affectzoo/core';

/** mulberry32: small, fast, good enough for augmentation; seeded by a 32-bit integer. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed mixing the run seed, the copy and the row (FNV-1a over their bytes). */
export function augmentSeed(seed: number, copy: number, row: number): number {
  let h = 0x811c9dc5;
  for (const v of [seed, copy, row]) {
    for (let s = 0; s < 32; s += 8) {
      h ^= (v >>> s) & 0xff;
      h = Math.imul(h, 0x01000193);
    }
  }
  return h >>> 0;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Colour jitter in place on 8-bit RGB, in a fixed order: brightness, contrast, saturation, hue. */
function jitter(px: Uint8Array, rand: () => number): void {
  const u = (r: number) => 1 - r + 2 * r * rand();
  const brightness = u(0.4);
  const contrast = u(0.4);
  const saturation = u(0.4);
  const hue = (rand() * 2 - 1) * 0.1 * 2 * Math.PI; // hue shift in radians (0.1 of a turn at most)
  let meanGrey = 0;
  for (let i = 0; i < px.length; i += 3) meanGrey += 0.299 * px[i]! + 0.587 * px[i + 1]! + 0.114 * px[i + 2]!;
  meanGrey = (meanGrey / (px.length / 3)) * brightness;
  // Hue rotation in YIQ space: rotate the chroma (I, Q) plane.
  const cosH = Math.cos(hue);
  const sinH = Math.sin(hue);
  for (let i = 0; i < px.length; i += 3) {
    let r = px[i]! * brightness;
    let g = px[i + 1]! * brightness;
    let b = px[i + 2]! * brightness;
    r = (r - meanGrey) * contrast + meanGrey;
    g = (g - meanGrey) * contrast + meanGrey;
    b = (b - meanGrey) * contrast + meanGrey;
    const grey = 0.299 * r + 0.587 * g + 0.114 * b;
    r = (r - grey) * saturation + grey;
    g = (g - grey) * saturation + grey;
    b = (b - grey) * saturation + grey;
    const y = 0.299 * r + 0.587 * g + 0.114 * b;
    const ci = 0.596 * r - 0.274 * g - 0.322 * b;
    const cq = 0.211 * r - 0.523 * g + 0.312 * b;
    const i2 = ci * cosH - cq * sinH;
    const q2 = ci * sinH + cq * cosH;
    px[i] = clamp(y + 0.956 * i2 + 0.621 * q2);
    px[i + 1] = clamp(y - 0.272 * i2 - 0.647 * q2);
    px[i + 2] = clamp(y - 1.106 * i2 + 1.703 * q2);
  }
}

/** Crop a `w x h` window at (x, y), optionally mirrored. */
function crop(img: RgbImage, x: number, y: number, w: number, h: number, flip: boolean): RgbImage {
  const out = new Uint8Array(w * h * 3);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const sc = flip ? x + w - 1 - c : x + c;
      const s = ((y + r) * img.width + sc) * 3;
      const d = (r * w + c) * 3;
      out[d] = img.data[s]!;
      out[d + 1] = img.data[s + 1]!;
      out[d + 2] = img.data[s + 2]!;
    }
  }
  return { data: out, width: w, height: h };
}

/** Decode an image and apply one seeded augmentation, producing `width x height` RGB. */
export async function decodeAugmented(file: string, width: number, height: number, seed: number): Promise<RgbImage> {
  const big = await decodeImage(file, { width: Math.round((width * 228) / 224), height: Math.round((height * 228) / 224) });
  const rand = mulberry32(seed);
  const x = Math.floor(rand() * (big.width - width + 1));
  const y = Math.floor(rand() * (big.height - height + 1));
  const flip = rand() < 0.5;
  const img = crop(big, x, y, width, height, flip);
  if (rand() < 0.8) jitter(img.data, rand);
  return img;
}
