/**
 * `--annotate`: boxes, landmarks and the main predictions drawn on images (sharp compositing an
 * SVG overlay) and on videos (the same per frame, encoded by ffmpeg as H.264).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import sharp from 'sharp';
import { InputError } from '@affectzoo/core';
import type { PredictionRow } from './analyze.js';
import type { RgbFrame } from './yunet.js';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;

/**
 * An SVG overlay of the rows' faces for a `width x height` image. Rows are in source pixels;
 * `scale` is source pixels per image pixel (the image may be a downscaled decode).
 */
export function overlaySvg(rows: readonly PredictionRow[], width: number, height: number, scale = 1): string {
  const stroke = Math.max(2, Math.round(Math.max(width, height) / 400));
  const font = Math.max(12, Math.round(Math.max(width, height) / 60));
  const parts = rows.filter((r) => r.status === 'ok' && r.box).map((r) => {
    const [x, y, w, h] = r.box!.map((v) => v / scale) as [number, number, number, number];
    const label = `#${r.face} ${r.expression} V${signed(r.valence!)} A${signed(r.arousal!)}`;
    const dots = (r.landmarks ?? []).map(([lx, ly]) => `<circle cx="${lx / scale}" cy="${ly / scale}" r="${stroke}" fill="#00e0ff"/>`).join('');
    const ty = y > font + 4 ? y - 4 : y + h + font;
    return `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="#00ff66" stroke-width="${stroke}"/>${dots}`
      + `<text x="${x}" y="${ty}" font-family="sans-serif" font-size="${font}" fill="#ffff00" stroke="#000" stroke-width="${stroke / 2}" paint-order="stroke">${esc(label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${parts.join('')}</svg>`;
}

function drawn(frame: RgbFrame, rows: readonly PredictionRow[], scale: number): sharp.Sharp {
  return sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 3 } })
    .composite([{ input: Buffer.from(overlaySvg(rows, frame.width, frame.height, scale)), top: 0, left: 0 }])
    // Compositing an SVG adds an alpha channel; the video encoder is fed plain RGB.
    .removeAlpha();
}

/** Write an annotated copy of an image (format from the extension of `out`). */
export async function annotateImage(frame: RgbFrame, rows: readonly PredictionRow[], out: string, scale = 1): Promise<void> {
  await drawn(frame, rows, scale).toFile(out);
}

/** Encodes annotated frames into a video with ffmpeg. */
export class AnnotatedVideoWriter {
  private child: ChildProcess | null = null;
  private stderr = '';

  constructor(readonly out: string, readonly fps: number) {}

  /** Add a frame with its rows (in source pixels; `scale`: source pixels per frame pixel). */
  async write(frame: RgbFrame, rows: readonly PredictionRow[], scale = 1): Promise<void> {
    if (!this.child) {
      this.child = spawn(process.env.AFFECTZOO_FFMPEG ?? 'ffmpeg', [
        '-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${frame.width}x${frame.height}`, '-r', String(this.fps),
        '-i', 'pipe:0', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', this.out,
      ], { stdio: ['pipe', 'ignore', 'pipe'] });
      this.child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    }
    const { data, info } = await drawn(frame, rows, scale).raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`annotated frame has ${info.channels} channels, expected 3`);
    if (!this.child.stdin!.write(data)) await once(this.child.stdin!, 'drain');
  }

  async close(): Promise<void> {
    if (!this.child) return;
    this.child.stdin!.end();
    const [code] = (await once(this.child, 'close')) as [number | null];
    if (code !== 0) throw new InputError(this.out, undefined, `ffmpeg could not write the annotated video: ${this.stderr.trim().split('\n').pop()}`);
  }
}
