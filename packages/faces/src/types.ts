import type { DetectedFace } from '@affectzoo/core';

/** A detected face in image pixel coordinates (core's `DetectedFace`). */
export type Face = DetectedFace;
