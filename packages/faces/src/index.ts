/**
 * @affectzoo/faces: find, align and follow faces: YuNet detection on ONNX Runtime, 5-point
 * similarity alignment, an IoU tracker, streamed per-track temporal smoothing, and video frames
 * from ffmpeg.
 */
export type { Face } from './types.js';
export { iou, nms } from './nms.js';
export { YuNet, YUNET_DEFAULTS, type YuNetOptions, type RgbFrame } from './yunet.js';
export { alignFace, alignmentTransform, fitSimilarity, type AlignOptions, type Similarity } from './align.js';
export { IouTracker, type TrackerOptions } from './tracker.js';
export { TemporalSmoother, type SmoothItem } from './smooth.js';
export { probeVideo, readVideo, scaledSize, type VideoFrame, type VideoInfo, type VideoOptions } from './video.js';
