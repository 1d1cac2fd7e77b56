/**
 * What a `detector` factory creates: a face detector that finds faces and their landmarks
 * in an RGB image (see `@affectzoo/faces` for YuNet).
 */
import type { RgbImage } from '../data/images.js';

/** A detected face in image pixel coordinates. */
export interface DetectedFace {
  /** Box: left, top, width, height. */
  box: [number, number, number, number];
  /** Landmarks in the detector's documented order (YuNet: 5 points, BlazeFace: 6), image left first. */
  landmarks: [number, number][];
  /** Detection confidence in [0, 1]. */
  score: number;
}

export interface FaceDetector {
  detect(image: RgbImage): Promise<DetectedFace[]>;
  dispose(): Promise<void>;
}

export interface DetectorPlugin {
  /** The registered name of the factory that made it. */
  readonly name: string;
  /** Load the detector's model (from the model cache, downloading it where allowed). */
  load(): Promise<FaceDetector>;
}
