import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeImage, decodeImages } from '../src/index.js';

let dir: string;
const files: Record<string, string> = {};
const RED = { r: 200, g: 30, b: 40 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'az-img-'));
  const solid = (channels: 3 | 4, background: sharp.RGBA) => sharp({ create: { width: 8, height: 6, channels, background } });
  files.jpeg = join(dir, 'rgb.jpg');
  await solid(3, RED).jpeg({ quality: 100 }).toFile(files.jpeg);
  files.grey = join(dir, 'grey.png');
  await solid(3, { r: 90, g: 90, b: 90 }).greyscale().png().toFile(files.grey);
  files.rgba = join(dir, 'rgba.png');
  await solid(4, { ...RED, alpha: 1 }).png().toFile(files.rgba);
  files.deep = join(dir, 'deep.png');
  await solid(3, RED).toColourspace('rgb16').png().toFile(files.deep);
  files.cmyk = join(dir, 'cmyk.jpg');
  await solid(3, RED).toColourspace('cmyk').jpeg({ quality: 100 }).toFile(files.cmyk);
  files.corrupt = join(dir, 'corrupt.jpg');
  await writeFile(files.corrupt, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]));
  files.empty = join(dir, 'empty.png');
  await writeFile(files.empty, '');
});

const meanColour = (d: Uint8Array) => {
  const sum = [0, 0, 0];
  for (let i = 0; i < d.length; i++) sum[i % 3]! += d[i]!;
  return sum.map((s) => s / (d.length / 3));
};

describe('decodeImage', () => {
  it.each(['jpeg', 'rgba', 'deep', 'cmyk'])('decodes %s to 8-bit RGB at the requested size', async (kind) => {
    const img = await decodeImage(files[kind]!, { width: 4, height: 4 });
    expect(img.width).toBe(4);
    expect(img.data.length).toBe(4 * 4 * 3);
    const [r, g, b] = meanColour(img.data);
    // CMYK round trips through a colour profile, so allow a wider band than for RGB.
    const tol = kind === 'cmyk' ? 30 : 4;
    expect(Math.abs(r! - RED.r)).toBeLessThan(tol);
    expect(Math.abs(g! - RED.g)).toBeLessThan(tol);
    expect(Math.abs(b! - RED.b)).toBeLessThan(tol);
  });

  it('expands greyscale to three equal channels', async () => {
    const img = await decodeImage(files.grey!, { width: 2, height: 2 });
    expect(img.data.length).toBe(12);
    const [r, g, b] = meanColour(img.data);
    expect(r).toBe(g);
    expect(g).toBe(b);
  });

  it.each([
    ['missing', '/nonexistent/face.jpg', /face\.jpg: image file not found/],
    ['corrupt', 'corrupt', /corrupt\.jpg: cannot decode image/],
    ['zero-byte', 'empty', /empty\.png: cannot decode image/],
  ])('names a %s image', async (_k, key, message) => {
    await expect(decodeImage(files[key] ?? key, { width: 4, height: 4 })).rejects.toThrow(message);
  });
});

describe('decodeImages', () => {
  it('stops on a bad image by default', async () => {
    await expect(decodeImages([files.jpeg!, files.corrupt!], { width: 4, height: 4 })).rejects.toThrow(/corrupt\.jpg/);
  });
  it('skips and counts bad images when asked', async () => {
    const out = await decodeImages([files.jpeg!, files.corrupt!, files.grey!], { width: 4, height: 4, onBadImage: 'skip' });
    expect(out.images.map((i) => i === null)).toEqual([false, true, false]);
    expect(out.skipped).toHaveLength(1);
    expect(out.skipped[0]!.file).toBe(files.corrupt);
  });
});
