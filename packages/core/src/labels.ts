/**
 * The ABAW multi-task label space (s-Aff-Wild2), in the order the annotation files and the
 * metric use. Every other module takes names, counts and sentinels from here.
 */

/** The 12 action units of the ABAW multi-task track, in file order. */
export const AU_NAMES = [
  'AU1', 'AU2', 'AU4', 'AU6', 'AU7', 'AU10', 'AU12', 'AU15', 'AU23', 'AU24', 'AU25', 'AU26',
] as const;

/** The 8 expression classes; the index is the class id used in files. */
export const EXPRESSION_NAMES = [
  'Neutral', 'Anger', 'Disgust', 'Fear', 'Happiness', 'Sadness', 'Surprise', 'Other',
] as const;

export const NUM_AUS = AU_NAMES.length;
export const NUM_EXPRESSIONS = EXPRESSION_NAMES.length;

/** Sentinels that mark a missing label in ABAW files. */
export const MISSING_VA = -5;
export const MISSING_EXPRESSION = -1;
export const MISSING_AU = -1;

/** The header of an s-Aff-Wild2 multi-task annotation (and submission) file. */
export const ANNOTATION_HEADER = ['image', 'valence', 'arousal', 'expression', ...AU_NAMES] as const;

export type AuName = (typeof AU_NAMES)[number];
export type ExpressionName = (typeof EXPRESSION_NAMES)[number];
