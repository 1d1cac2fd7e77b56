/**
 * `affectzoo predict <inputs...> --out rows.csv`: faces in images and videos to per-frame AUs,
 * expressions and valence/arousal. Images, folders, globs and videos; one CSV/JSONL row per face
 * per frame (a row saying so for a frame without a face or an unreadable input).
 */
import { basename, extname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { ConfigError, InputError, type FaceDetector } from '@affectzoo/core';
import {
  analyzeFrames, AnnotatedVideoWriter, annotateImage, expandInputs, probeVideo, readImageFrame, readVideo, RowWriter,
  type AnalyzeOptions, type InputFile, type PredictionRow, type RgbFrame, type SourceFrame,
} from '@affectzoo/faces';
import { buildRegistry } from '../registry.js';
import { loadFaceAnalyzer } from '../predict/analyzer.js';
import { loadDetector, type DetectorChoice } from '../predict/detector.js';
import { createProgressBar, type ProgressBar } from '../progress.js';

export interface PredictOptions {
  out: string;
  config?: string;
  checkpoint?: string;
  backend?: string;
  aligned?: boolean;
  detector?: DetectorChoice;
  every?: string;
  start?: string;
  end?: string;
  smooth?: string;
  annotate?: string;
  batchSize?: string;
  maxSide?: string;
  align?: 'landmarks' | 'box';
  margin?: string;
  progress?: boolean;
}

function number(flag: string, value: string | undefined, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new ConfigError([{ path: flag, message: `must be a number >= ${min}, got "${value}"` }]);
  return n;
}

const errorRow = (source: string, frame: number, time: number, error: string): PredictionRow => ({
  source, frame, time, face: -1, status: 'error', error,
  box: null, landmarks: null, score: null, aus: null, expressionProbs: null, expression: null, valence: null, arousal: null,
});

export interface PredictSummary {
  files: number;
  frames: number;
  faces: number;
  errors: number;
  seconds: number;
}

export async function runPredict(inputs: string[], o: PredictOptions): Promise<PredictSummary> {
  const files = await expandInputs(inputs);
  const every = number('--every', o.every, 1, 1);
  const start = o.start === undefined ? undefined : number('--start', o.start, 0);
  const end = o.end === undefined ? undefined : number('--end', o.end, 0);
  if (start !== undefined && end !== undefined && end <= start) throw new ConfigError([{ path: '--end', message: `must be after --start (${start})` }]);
  const analyzer = await loadFaceAnalyzer({ config: o.config, checkpoint: o.checkpoint, backend: o.backend });
  let detector: FaceDetector | null = null;
  if (!o.aligned) {
    const loaded = await loadDetector(o.detector ?? 'auto', await buildRegistry());
    detector = loaded.detector;
    if (o.progress !== false) console.error(`affectzoo predict: ${analyzer.description}; faces found by ${loaded.name}`);
  }
  const options: AnalyzeOptions = {
    detector,
    analyzer,
    align: { method: o.align ?? 'landmarks', margin: number('--margin', o.margin, 0) },
    batchSize: number('--batch-size', o.batchSize, 32, 1),
    smoothSigma: number('--smooth', o.smooth, 0),
  };
  const maxSide = number('--max-side', o.maxSide, 1280);
  if (o.annotate) await mkdir(o.annotate, { recursive: true });

  const writer = new RowWriter(o.out);
  const summary: PredictSummary = { files: files.length, frames: 0, faces: 0, errors: 0, seconds: 0 };
  const t0 = performance.now();
  const bar = o.progress === false ? null : createProgressBar('predict |{bar}| {value}/{total} {unit} | {fps} frames/s | {faces} faces');
  const tick = () => bar?.update(summary.frames, { fps: (summary.frames / ((performance.now() - t0) / 1000)).toFixed(1), faces: summary.faces });
  const warn = (message: string) => {
    summary.errors++;
    bar?.stop();
    console.error(`affectzoo predict: ${message}`);
  };
  const record = async (row: PredictionRow) => {
    await writer.write(row);
    if (row.status === 'ok') summary.faces++;
  };

  try {
    const images = files.filter((f) => f.kind === 'image');
    const videos = files.filter((f) => f.kind === 'video');
    if (images.length > 0) {
      bar?.start(images.length, 0, { unit: 'images', fps: '-', faces: 0 });
      const kept = new Map<string, SourceFrame>();
      const frames = (async function* (): AsyncGenerator<SourceFrame> {
        for (const file of images) {
          try {
            const frame = await readImageFrame(file.path, maxSide);
            if (o.annotate) kept.set(file.path, frame);
            yield frame;
          } catch (e) {
            if (!(e instanceof InputError)) throw e;
            warn(e.message);
            await writer.write(errorRow(file.path, 0, 0, e.reason));
          }
        }
      })();
      // Rows come grouped by image; an image is complete when the next one's rows start.
      const finishImage = async (done: { source: string; rows: PredictionRow[] } | null) => {
        if (!done) return;
        summary.frames++;
        tick();
        const frame = kept.get(done.source);
        if (frame && o.annotate) await annotateImage(frame.image, done.rows, join(o.annotate, `${basename(done.source, extname(done.source))}.annotated.jpg`), frame.scale);
        kept.delete(done.source);
      };
      let current = null as { source: string; rows: PredictionRow[] } | null;
      for await (const row of analyzeFrames(frames, options, true)) {
        if (current?.source !== row.source) {
          await finishImage(current);
          current = { source: row.source, rows: [] };
        }
        current.rows.push(row);
        await record(row);
      }
      await finishImage(current);
      bar?.stop();
    }
    const run: RunContext = { writer, summary, bar, tick, warn, record };
    for (const video of videos) await predictVideo(video, options, { every, start, end, maxSide, annotate: o.annotate }, run);
    await writer.close();
  } catch (e) {
    bar?.stop();
    await writer.abort();
    throw e;
  } finally {
    await detector?.dispose();
    await analyzer.dispose?.();
  }
  summary.seconds = (performance.now() - t0) / 1000;
  console.error(`affectzoo predict: ${summary.frames} frames, ${summary.faces} faces, ${summary.errors} unreadable inputs in ${summary.seconds.toFixed(1)} s `
    + `(${(summary.frames / summary.seconds).toFixed(1)} frames/s) -> ${o.out}`);
  return summary;
}

/** What a run shares across its inputs: the output, the counts and the progress bar. */
interface RunContext {
  writer: RowWriter;
  summary: PredictSummary;
  bar: ProgressBar | null;
  tick: () => void;
  warn: (message: string) => void;
  record: (row: PredictionRow) => Promise<void>;
}

async function predictVideo(
  video: InputFile,
  options: AnalyzeOptions,
  v: { every: number; start?: number; end?: number; maxSide: number; annotate?: string },
  { writer, summary, bar, tick, warn, record }: RunContext,
): Promise<void> {
  let info;
  try {
    info = await probeVideo(video.path);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    warn(e.message);
    await writer.write(errorRow(video.path, 0, 0, e.reason));
    return;
  }
  const span = ((v.end ?? info.duration) - (v.start ?? 0)) * info.fps;
  bar?.start(Math.max(1, Math.ceil((Number.isFinite(span) ? span : info.frames) / v.every)), 0, { unit: 'frames', fps: '-', faces: summary.faces });
  const annotated = v.annotate ? new AnnotatedVideoWriter(join(v.annotate, `${basename(video.path, extname(video.path))}.annotated.mp4`), info.fps / v.every) : null;
  const kept = new Map<number, RgbFrame>();
  let failure: { frame: number; time: number; reason: string } | null = null;
  let last = { frame: -1, time: 0 };
  const frames = (async function* (): AsyncGenerator<SourceFrame> {
    try {
      for await (const f of readVideo(video.path, { every: v.every, start: v.start, end: v.end, maxSide: v.maxSide })) {
        if (annotated) kept.set(f.index, f);
        last = { frame: f.index, time: f.time };
        yield { source: video.path, frame: f.index, time: f.time, image: f, scale: info.width / f.width };
      }
    } catch (e) {
      // A broken stream keeps what was decoded before it; the failure becomes an error row.
      if (!(e instanceof InputError)) throw e;
      failure = { frame: last.frame + 1, time: last.time, reason: e.reason };
    }
  })();
  let frame = -1;
  let pendingRows: PredictionRow[] = [];
  for await (const row of analyzeFrames(frames, options)) {
    if (row.frame !== frame) {
      if (annotated && kept.has(frame)) {
        await annotated.write(kept.get(frame)!, pendingRows, info.width / kept.get(frame)!.width);
        kept.delete(frame);
      }
      pendingRows = [];
      frame = row.frame;
      summary.frames++;
      tick();
    }
    pendingRows.push(row);
    await record(row);
  }
  if (annotated && kept.has(frame)) await annotated.write(kept.get(frame)!, pendingRows, info.width / kept.get(frame)!.width);
  await annotated?.close();
  bar?.stop();
  const failed = failure as { frame: number; time: number; reason: string } | null;
  if (failed) {
    warn(`${video.path}: frame ${failed.frame}: ${failed.reason}`);
    await writer.write(errorRow(video.path, failed.frame, failed.time, failed.reason));
  }
}
