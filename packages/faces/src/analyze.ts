/**
 * From frames to per-face prediction rows: detect (or take the whole image as one aligned face),
 * align, track, batch the crops of several frames through a `FaceAnalyzer` (backbone + heads), and
 * smooth per track. Decoding, detection and the analyzer overlap: the analyzer's batch runs while
 * the next frames are decoded and detected.
 */
import { AU_NAMES, EXPRESSION_NAMES, type FaceDetector } from '@affectzoo/core';
import type { Face } from './types.js';
import type { RgbFrame } from './yunet.js';
import { alignFace, type AlignOptions } from './align.js';
import { IouTracker } from './tracker.js';
import { TemporalSmoother } from './smooth.js';

/** What the model says about one face. */
export interface FaceOutputs {
  /** 12 AU probabilities in `AU_NAMES` order. */
  aus: ArrayLike<number>;
  /** 8 expression probabilities in `EXPRESSION_NAMES` order. */
  expression: ArrayLike<number>;
  valence: number;
  arousal: number;
}

/** A model over aligned face crops (for example a backbone and trained heads). */
export interface FaceAnalyzer {
  /** The crop size the model wants. */
  readonly input: { width: number; height: number };
  analyze(crops: readonly RgbFrame[]): Promise<FaceOutputs[]>;
}

/** One output row: one face in one frame, or a frame without a face. */
export interface PredictionRow {
  source: string;
  frame: number;
  /** Seconds from the start of a video; 0 for images. */
  time: number;
  /** Track id in a video (stable across frames), index in an image; -1 for a frame without a face. */
  face: number;
  /** `ok`; `no_face` for a frame without a face; `error` for an input that could not be read (see `error`). */
  status: 'ok' | 'no_face' | 'error';
  /** What went wrong, for `error` rows. */
  error?: string;
  box: [number, number, number, number] | null;
  landmarks: [number, number][] | null;
  score: number | null;
  aus: number[] | null;
  expressionProbs: number[] | null;
  expression: string | null;
  valence: number | null;
  arousal: number | null;
}

export interface AnalyzeOptions {
  /** `null`: every frame is already an aligned face (`--aligned`). */
  detector: FaceDetector | null;
  analyzer: FaceAnalyzer;
  align: Omit<AlignOptions, 'width' | 'height'>;
  /** Faces per analyzer batch (frames are grouped until it is reached). */
  batchSize: number;
  /** Gaussian sigma in frames for per-track smoothing; 0 for none (videos only). */
  smoothSigma: number;
}

export interface SourceFrame {
  source: string;
  frame: number;
  time: number;
  image: RgbFrame;
  /**
   * Source pixels per image pixel when the image is a downscaled decode (default 1): rows give
   * boxes and landmarks in the source's pixels.
   */
  scale?: number;
}

interface PendingFrame {
  meta: SourceFrame;
  faces: Face[];
  ids: number[];
  crops: RgbFrame[];
}

/** Smoothing packs a row's numbers into one vector: 12 AUs, 8 expression probabilities, V, A. */
const VALUES = AU_NAMES.length + EXPRESSION_NAMES.length + 2;

type SmoothRow = PredictionRow & { track: number; values: Float32Array };

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

function toRow(p: PendingFrame, k: number, out: FaceOutputs): SmoothRow {
  const values = new Float32Array(VALUES);
  values.set(Array.from(out.aus), 0);
  values.set(Array.from(out.expression), AU_NAMES.length);
  values[VALUES - 2] = out.valence;
  values[VALUES - 1] = out.arousal;
  const f = p.faces[k]!;
  const s = p.meta.scale ?? 1;
  return {
    source: p.meta.source, frame: p.meta.frame, time: p.meta.time, face: p.ids[k]!, status: 'ok',
    box: f.box.map((v) => v * s) as Face['box'], landmarks: f.landmarks.map(([x, y]) => [x * s, y * s] as [number, number]), score: f.score,
    aus: null, expressionProbs: null, expression: null, valence: null, arousal: null,
    track: p.ids[k]!, values,
  };
}

/** Fill the row's outputs from its (possibly smoothed) value vector. */
function finish(r: SmoothRow): PredictionRow {
  if (r.status !== 'ok') return r;
  const v = r.values;
  const expressionProbs = Array.from(v.subarray(AU_NAMES.length, AU_NAMES.length + EXPRESSION_NAMES.length));
  const { track: _t, values: _v, ...row } = r;
  return {
    ...row,
    aus: Array.from(v.subarray(0, AU_NAMES.length)),
    expressionProbs,
    expression: EXPRESSION_NAMES[argmax(expressionProbs)]!,
    valence: v[VALUES - 2]!,
    arousal: v[VALUES - 1]!,
  };
}

const noFace = (m: SourceFrame): SmoothRow => ({
  source: m.source, frame: m.frame, time: m.time, face: -1, status: 'no_face',
  box: null, landmarks: null, score: null, aus: null, expressionProbs: null, expression: null, valence: null, arousal: null,
  track: -1, values: new Float32Array(0),
});

/**
 * Analyze a stream of frames of one source. Frames of one video share a tracker (ids stable
 * across frames) and a smoother; images each get their own (`independent`), so ids are indices.
 */
export async function* analyzeFrames(frames: AsyncIterable<SourceFrame>, o: AnalyzeOptions, independent = false): AsyncGenerator<PredictionRow> {
  const size = o.analyzer.input;
  const alignOptions: AlignOptions = { ...o.align, ...size };
  let tracker = new IouTracker();
  const smoother = new TemporalSmoother<SmoothRow>(independent ? 0 : o.smoothSigma);
  let group: PendingFrame[] = [];
  let groupFaces = 0;
  let inflight: Promise<SmoothRow[]> | null = null;

  const run = async (frames: PendingFrame[]): Promise<SmoothRow[]> => {
    const crops = frames.flatMap((p) => p.crops);
    const outputs = crops.length > 0 ? await o.analyzer.analyze(crops) : [];
    const rows: SmoothRow[] = [];
    let k = 0;
    for (const p of frames) {
      if (p.faces.length === 0) rows.push(noFace(p.meta));
      for (let i = 0; i < p.faces.length; i++) rows.push(toRow(p, i, outputs[k++]!));
    }
    return rows;
  };
  const release = function* (rows: SmoothRow[]): Generator<PredictionRow> {
    // Rows arrive in frame order; push each frame's rows together.
    let i = 0;
    while (i < rows.length) {
      let j = i;
      while (j < rows.length && rows[j]!.frame === rows[i]!.frame && rows[j]!.source === rows[i]!.source) j++;
      for (const r of smoother.push(rows[i]!.frame, rows.slice(i, j))) yield finish(r);
      i = j;
    }
  };

  for await (const meta of frames) {
    if (independent) tracker = new IouTracker();
    const faces: Face[] = o.detector
      ? await o.detector.detect(meta.image)
      : [{ box: [0, 0, meta.image.width, meta.image.height], landmarks: [], score: 1 }];
    const { ids } = tracker.update(faces.map((f) => f.box));
    const crops = faces.map((f) => (o.detector ? alignFace(meta.image, f, alignOptions) : alignFace(meta.image, f, { ...alignOptions, method: 'box', margin: 0 })));
    group.push({ meta, faces, ids: independent ? faces.map((_, i) => i) : ids, crops });
    groupFaces += faces.length;
    if (groupFaces >= o.batchSize) {
      const previous = inflight;
      inflight = run(group);
      group = [];
      groupFaces = 0;
      if (previous) yield* release(await previous);
    }
  }
  if (inflight) yield* release(await inflight);
  if (group.length > 0) yield* release(await run(group));
  for (const r of smoother.flush()) yield finish(r);
}
