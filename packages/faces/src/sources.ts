/**
 * What `affectzoo predict` reads: image files, folders (searched recursively), glob patterns and
 * video files, told apart by extension. A path that does not exist, or a pattern that matches
 * nothing, is an error naming it; a file in a folder with another extension is left out.
 */
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import sharp from 'sharp';
import { glob, isDynamicPattern } from 'tinyglobby';
import { InputError } from '@affectzoo/core';
import type { SourceFrame } from './analyze.js';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.bmp', '.tif', '.tiff', '.gif', '.avif'];
export const VIDEO_EXTENSIONS = ['.mp4', '.mov', '.avi', '.mkv', '.webm', '.m4v', '.mpg', '.mpeg', '.wmv', '.flv'];

export interface InputFile {
  path: string;
  kind: 'image' | 'video';
}

const kindOf = (path: string): InputFile['kind'] | undefined => {
  const ext = extname(path).toLowerCase();
  if (IMAGE_EXTENSIONS.includes(ext)) return 'image';
  if (VIDEO_EXTENSIONS.includes(ext)) return 'video';
  return undefined;
};

/** Expand inputs into files, in the order given (a folder's or pattern's files sorted). */
export async function expandInputs(inputs: readonly string[]): Promise<InputFile[]> {
  const files: InputFile[] = [];
  for (const input of inputs) {
    if (isDynamicPattern(input)) {
      const found = (await glob(input, { absolute: true, onlyFiles: true })).sort();
      const usable = found.flatMap((path) => (kindOf(path) ? [{ path, kind: kindOf(path)! }] : []));
      if (usable.length === 0) throw new InputError(input, undefined, 'the pattern matches no image or video file');
      files.push(...usable);
      continue;
    }
    const info = await stat(input).catch(() => undefined);
    if (!info) throw new InputError(input, undefined, 'no such file or folder');
    if (info.isDirectory()) {
      const found = (await glob('**/*', { cwd: input, absolute: true, onlyFiles: true })).sort();
      const usable = found.flatMap((path) => (kindOf(path) ? [{ path, kind: kindOf(path)! }] : []));
      if (usable.length === 0) throw new InputError(input, undefined, 'the folder holds no image or video file');
      files.push(...usable);
      continue;
    }
    // A file named explicitly is an image unless its extension says video: sharp tells if it is not.
    files.push({ path: resolve(input), kind: kindOf(input) ?? 'image' });
  }
  return files;
}

/**
 * Decode an image (EXIF-rotated, sRGB), its longest side capped at `maxSide`; `scale` says how
 * many source pixels one decoded pixel spans.
 */
export async function readImageFrame(path: string, maxSide: number): Promise<SourceFrame> {
  try {
    const meta = await sharp(path, { failOn: 'error' }).metadata();
    // Width after EXIF rotation: orientations 5-8 swap the sides.
    const sourceWidth = (meta.orientation ?? 1) >= 5 ? meta.height : meta.width;
    let pipeline = sharp(path, { failOn: 'error' }).rotate();
    if (maxSide > 0) pipeline = pipeline.resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true });
    const { data, info } = await pipeline.toColourspace('srgb').removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    const image = { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
    return { source: path, frame: 0, time: 0, image, scale: sourceWidth ? sourceWidth / info.width : 1 };
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT' || /missing|no such file/i.test(String(e));
    throw new InputError(path, undefined, missing ? 'image file not found' : `cannot decode image (${(e as Error).message.split('\n')[0]})`);
  }
}
