import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeVideo, readVideo } from '../src/video.js';

const VIDEO = fileURLToPath(new URL('../../../../shared/media/street.mp4', import.meta.url));
const hasFfmpeg = (() => {
  try {
    execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const present = existsSync(VIDEO) && hasFfmpeg;
if (!present) console.warn(`skipping video tests: needs ffmpeg on PATH and ${VIDEO}`);

describe.skipIf(!present)('readVideo', () => {
  it('probes the street clip', async () => {
    expect(await probeVideo(VIDEO)).toMatchObject({ width: 1920, height: 1080, fps: 25, frames: 105 });
  });

  it('yields every N-th frame, downscaled, with source index and time', async () => {
    const frames = [];
    for await (const f of readVideo(VIDEO, { every: 10, maxSide: 480 })) frames.push({ index: f.index, time: f.time, w: f.width, h: f.height, bytes: f.data.length });
    expect(frames.map((f) => f.index)).toEqual([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(frames[1]).toEqual({ index: 10, time: 0.4, w: 480, h: 270, bytes: 480 * 270 * 3 });
  });

  it('honours a time range', async () => {
    const idx = [];
    for await (const f of readVideo(VIDEO, { start: 2, end: 2.4, maxSide: 160 })) idx.push(f.index);
    expect(idx).toEqual([50, 51, 52, 53, 54, 55, 56, 57, 58, 59]);
  });

  it('names a non-video file and a truncated video', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'az-video-'));
    const text = join(dir, 'notes.mp4');
    await writeFile(text, 'not a video');
    await expect(probeVideo(text)).rejects.toThrow(/notes\.mp4: not a readable video/);
    const cut = join(dir, 'cut.mp4');
    const bytes = await readFile(VIDEO);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.5)));
    const seen: number[] = [];
    const run = async () => {
      for await (const f of readVideo(cut, { maxSide: 160 })) seen.push(f.index);
    };
    await expect(run()).rejects.toThrow(/cut\.mp4/);
  });
});
