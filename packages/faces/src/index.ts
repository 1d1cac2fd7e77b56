/**
 * @affectzoo/faces: find, align and follow faces, and turn images and videos into per-face rows:
 * YuNet detection on ONNX Runtime or BlazeFace on TF.js, landmark similarity alignment, an IoU
 * tracker, streamed per-track temporal smoothing, video frames from ffmpeg, CSV/JSONL output and
 * annotated copies.
 */
import type { Registry } from '@affectzoo/core';
import { blazefaceDetector, yunetDetector } from './register.js';

export type { Face } from './types.js';
export { blazefaceDetector, yunetDetector, YUNET_MODEL } from './register.js';
export { iou, nms } from './nms.js';
export { YuNet, YUNET_DEFAULTS, type YuNetOptions, type RgbFrame } from './yunet.js';
export { BlazeFace, BLAZEFACE_DEFAULTS, BLAZEFACE_INPUT, BLAZEFACE_LANDMARKS, blazefaceAnchors, blazefaceModelFile, type BlazeFaceOptions } from './blazeface.js';
export { alignFace, alignmentTransform, fitSimilarity, type AlignOptions, type Similarity } from './align.js';
export { IouTracker, type TrackerOptions } from './tracker.js';
export { TemporalSmoother, type SmoothItem } from './smooth.js';
export { probeVideo, readVideo, scaledSize, type VideoFrame, type VideoInfo, type VideoOptions } from './video.js';
export { analyzeFrames, type AnalyzeOptions, type FaceAnalyzer, type FaceOutputs, type PredictionRow, type SourceFrame } from './analyze.js';
export { expandInputs, readImageFrame, IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, type InputFile } from './sources.js';
export { RowWriter, CSV_COLUMNS, csvLine } from './write-rows.js';
export { annotateImage, AnnotatedVideoWriter, overlaySvg } from './annotate.js';

/** Register this package's factories (the `yunet` and `blazeface` detectors). */
export function register(registry: Registry): void {
  registry.register(yunetDetector);
  registry.register(blazefaceDetector);
}
