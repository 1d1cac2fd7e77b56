/**
 * Video frames from ffmpeg, streamed: `ffprobe` reads the stream's size and frame rate, `ffmpeg`
 * decodes (optionally every N-th frame, a time range, and a downscale) to raw RGB on a pipe, and
 * frames are yielded one at a time with back-pressure, so memory stays flat on long videos.
 *
 * ffmpeg is a system program: Debian/Ubuntu `apt-get install ffmpeg`, macOS `brew install ffmpeg`;
 * `AFFECTZOO_FFMPEG` / `AFFECTZOO_FFPROBE` point at other binaries.
 */
import { spawn } from 'node:child_process';
import { InputError } from '@affectzoo/core';
import type { RgbFrame } from './yunet.js';

export interface VideoInfo {
  width: number;
  height: number;
  fps: number;
  /** Frames in the stream, where the container says (else NaN). */
  frames: number;
  duration: number;
}

export interface VideoFrame extends RgbFrame {
  /** 0-based index of the frame in the source video. */
  index: number;
  /** Presentation time in seconds (index / fps). */
  time: number;
}

export interface VideoOptions {
  /** Keep every N-th frame (1: all). */
  every?: number;
  /** Start and end time in seconds. */
  start?: number;
  end?: number;
  /** Scale frames down so that the longest side is at most this (0: full size). */
  maxSide?: number;
}

const ffmpegBin = () => process.env.AFFECTZOO_FFMPEG ?? 'ffmpeg';
const ffprobeBin = () => process.env.AFFECTZOO_FFPROBE ?? 'ffprobe';

function run(bin: string, args: string[], file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT'
      ? new InputError(file, undefined, `${bin} not found: install ffmpeg (Debian: apt-get install ffmpeg) or set AFFECTZOO_FFMPEG and AFFECTZOO_FFPROBE`)
      : e));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new InputError(file, undefined, `not a readable video (${err.trim().split('\n').pop() ?? `exit ${code}`})`))));
  });
}

/** Size, frame rate and length of a video's first video stream. */
export async function probeVideo(file: string): Promise<VideoInfo> {
  const json = await run(ffprobeBin(), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height,r_frame_rate,nb_frames,duration', '-of', 'json', file], file);
  const stream = (JSON.parse(json) as { streams?: Record<string, string | number>[] }).streams?.[0];
  if (!stream) throw new InputError(file, undefined, 'no video stream');
  const [num, den] = String(stream.r_frame_rate ?? '0/1').split('/').map(Number);
  const fps = den ? num! / den : Number.NaN;
  return { width: Number(stream.width), height: Number(stream.height), fps, frames: Number(stream.nb_frames ?? Number.NaN), duration: Number(stream.duration ?? Number.NaN) };
}

/** The output size for a `maxSide` downscale (even numbers, as video filters prefer). */
export function scaledSize(width: number, height: number, maxSide = 0): [number, number] {
  if (maxSide <= 0 || Math.max(width, height) <= maxSide) return [width, height];
  const s = maxSide / Math.max(width, height);
  return [Math.max(2, Math.round((width * s) / 2) * 2), Math.max(2, Math.round((height * s) / 2) * 2)];
}

/**
 * Decode a video's frames. A stream that breaks part-way (a truncated file) ends the iteration
 * with an `InputError` naming the file and the last frame read; frames before it were yielded.
 */
export async function* readVideo(file: string, o: VideoOptions = {}): AsyncGenerator<VideoFrame> {
  const info = await probeVideo(file);
  const every = Math.max(1, Math.floor(o.every ?? 1));
  const [width, height] = scaledSize(info.width, info.height, o.maxSide);
  const filters = [];
  if (every > 1) filters.push(`select=not(mod(n\\,${every}))`);
  if (width !== info.width || height !== info.height) filters.push(`scale=${width}:${height}:flags=area`);
  const args = ['-v', 'error', '-nostdin'];
  if (o.start !== undefined) args.push('-ss', String(o.start));
  args.push('-i', file);
  if (o.end !== undefined) args.push('-t', String(o.end - (o.start ?? 0)));
  if (filters.length) args.push('-vf', filters.join(','));
  args.push('-an', '-fps_mode', 'passthrough', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');

  const child = spawn(ffmpegBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT'
      ? new InputError(file, undefined, `${ffmpegBin()} not found: install ffmpeg (Debian: apt-get install ffmpeg) or set AFFECTZOO_FFMPEG`)
      : e));
    child.on('close', resolve);
  });
  const frameBytes = width * height * 3;
  const firstIndex = Math.round((o.start ?? 0) * info.fps);
  let pending: Buffer = Buffer.alloc(0);
  let k = 0;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= frameBytes) {
        const data = new Uint8Array(frameBytes);
        data.set(pending.subarray(0, frameBytes));
        pending = pending.subarray(frameBytes);
        const index = firstIndex + k * every;
        k++;
        yield { data, width, height, index, time: index / info.fps };
      }
    }
    const code = await exited;
    if (code !== 0 || stderr.trim() !== '') {
      const frame = k === 0 ? 'before the first frame' : `after frame ${firstIndex + (k - 1) * every}`;
      throw new InputError(file, undefined, `video decoding failed ${frame}: ${stderr.trim().split('\n').pop() ?? `ffmpeg exit ${code}`}`);
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
