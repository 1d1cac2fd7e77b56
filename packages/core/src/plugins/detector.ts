/**
 * What a `detector` factory creates: a face detector that finds faces and their five landmarks
 * in an RGB image (see `@affectzoo/faces` for YuNet).
 */
import type { RgbImage } from '../data/images.js';

/** A detected face in image pixel coordinates. */
export interface DetectedFace {
  /** Box: left, top, width, height. */
  box: [number, number, number, number];
  /** Five landmarks in image order: left eye, right eye, nose tip, left and right mouth corners as they appear in the image. */
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
