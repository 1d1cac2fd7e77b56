import type { AnnotationSet } from '../data/annotations.js';

/** An annotation format (kind `dataset`): reads a file or folder into labelled rows. */
export interface AnnotationFormat {
  /** Read the annotations at `source` (a file or a folder, as the format defines). */
  read(source: string): Promise<AnnotationSet>;
}
