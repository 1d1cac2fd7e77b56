/** A detected face in image pixel coordinates. */
export interface Face {
  /** Box: left, top, width, height. */
  box: [number, number, number, number];
  /** Five landmarks: right eye, left eye, nose tip, right mouth corner, left mouth corner (as seen in the image: first is the image-left eye). */
  landmarks: [number, number][];
  /** Detection confidence in [0, 1]. */
  score: number;
}
