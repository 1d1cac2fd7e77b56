import type { DetectedFace } from '@affectzoo/core';

/** A detected face in image pixel coordinates (core's `DetectedFace`). */
export type Face = DetectedFace;

/**
 * A face found in a scaled copy of a frame, back in the frame's pixels (`sx`, `sy`: frame pixels
 * per detector pixel); the box is clipped to the frame, since padding can let it spill over.
 */
export function toFramePixels(f: Face, sx: number, sy: number, width: number, height: number): Face {
  const x = Math.max(0, f.box[0] * sx);
  const y = Math.max(0, f.box[1] * sy);
  return {
    box: [x, y, Math.min(width, (f.box[0] + f.box[2]) * sx) - x, Math.min(height, (f.box[1] + f.box[3]) * sy) - y],
    landmarks: f.landmarks.map(([lx, ly]) => [lx * sx, ly * sy] as [number, number]),
    score: f.score,
  };
}
