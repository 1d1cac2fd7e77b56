/**
 * Image decoding with sharp: any JPEG/PNG/WebP/TIFF (greyscale, RGBA, 16-bit, CMYK) to 8-bit RGB
 * at a given size. A missing or corrupt image is reported by path; `decodeImages` either stops
 * the run or skips and counts such images, per the caller's policy.
 */
import sharp from 'sharp';
import { InputError } from '../errors.js';

/** Interleaved 8-bit RGB pixels, row-major (HWC). */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface DecodeOptions {
  width: number;
  height: number;
  /** How to fit a differently shaped image: stretch (`fill`, the default) or centre-crop (`cover`). */
  fit?: 'fill' | 'cover';
}

/** Decode one image file (or encoded buffer) to RGB at the requested size. */
export async function decodeImage(source: string | Uint8Array, options: DecodeOptions, label?: string): Promise<RgbImage> {
  const name = label ?? (typeof source === 'string' ? source : '(buffer)');
  try {
    const { data, info } = await sharp(source, { failOn: 'error' })
      .rotate() // honour EXIF orientation
      .resize(options.width, options.height, { fit: options.fit ?? 'fill' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' || /missing|no such file/i.test(String(e))
      ? 'image file not found'
      : `cannot decode image (${(e as Error).message.split('\n')[0]})`;
    throw new InputError(name, undefined, reason);
  }
}

export type BadImagePolicy = 'stop' | 'skip';

export interface DecodedBatch {
  /** Decoded images, `null` where an image was skipped. */
  images: (RgbImage | null)[];
  /** Errors of the skipped images (empty under the `stop` policy, which throws instead). */
  skipped: InputError[];
}

/** Decode several images concurrently; bad images stop the run or are skipped and counted. */
export async function decodeImages(paths: readonly string[], options: DecodeOptions & { onBadImage?: BadImagePolicy }): Promise<DecodedBatch> {
  const skipped: InputError[] = [];
  const images = await Promise.all(paths.map(async (p) => {
    try {
      return await decodeImage(p, options);
    } catch (e) {
      if (options.onBadImage !== 'skip' || !(e instanceof InputError)) throw e;
      skipped.push(e);
      return null;
    }
  }));
  return { images, skipped };
}
