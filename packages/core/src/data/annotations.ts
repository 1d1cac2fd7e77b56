/**
 * Reader and writer for the s-Aff-Wild2 multi-task annotation format (and the ABAW submission
 * format, which has the same header):
 *
 *   image,valence,arousal,expression,AU1,...,AU26
 *
 * Missing labels are sentinels (-5 for valence/arousal, -1 for expression and each AU). Rows keep
 * them as `null`, so every consumer masks per task. Every malformed line or out-of-range label is
 * an `InputError` with file and line: a bad label is never silently turned into a value.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../atomic.js';
import { dirname, resolve, isAbsolute } from 'node:path';
import {
  ANNOTATION_HEADER, AU_NAMES, MISSING_AU, MISSING_EXPRESSION, MISSING_VA, NUM_AUS, NUM_EXPRESSIONS,
} from '../labels.js';
import { InputError } from '../errors.js';

/** One frame's labels; `null` marks a missing label. */
export interface FrameLabels {
  /** Image path as written in the file (relative to the file's folder unless absolute). */
  image: string;
  valence: number | null;
  arousal: number | null;
  /** Expression class index 0..7. */
  expression: number | null;
  /** The 12 AUs in `AU_NAMES` order: 0, 1 or null. */
  aus: (0 | 1 | null)[];
}

/** One frame's predictions in the ABAW submission format (no missing values). */
export interface FramePrediction {
  image: string;
  valence: number;
  arousal: number;
  expression: number;
  /** 12 AU outputs; thresholded at 0.5 by the metric, so 0/1 or probabilities both work. */
  aus: number[];
}

/** Per-task label counts and positive rates of a set of rows. */
export interface LabelStats {
  frames: number;
  va: number;
  expression: number;
  /** Frames per expression class, in `EXPRESSION_NAMES` order. */
  expressionCounts: number[];
  /** Frames carrying each AU's label, in `AU_NAMES` order. */
  auLabelled: number[];
  /** Positives per AU. */
  auPositives: number[];
  /** Positive rate per AU (NaN where no frame carries the AU). */
  auPositiveRate: number[];
}

export interface AnnotationSet {
  /** The annotation file (absolute), used to resolve relative image paths. */
  file: string;
  rows: FrameLabels[];
  stats: LabelStats;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  return lines;
}

function checkHeader(file: string, header: string | undefined): void {
  const got = (header ?? '').replace(/^\uFEFF/, '').split(',').map((c) => c.trim());
  const want = ANNOTATION_HEADER as readonly string[];
  if (got.length !== want.length || got.some((c, i) => c.toLowerCase() !== want[i]!.toLowerCase())) {
    throw new InputError(file, 1, `expected the header "${want.join(',')}", found "${(header ?? '').trim()}"`);
  }
}

function parseNumber(file: string, line: number, column: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw new InputError(file, line, `${column}: "${text}" is not a number`);
  return value;
}

/** Parse one VA value: a number in [-1, 1], or the sentinel -5 for a missing label. */
function parseVa(file: string, line: number, column: string, text: string): number | null {
  const v = parseNumber(file, line, column, text);
  if (v === MISSING_VA) return null;
  if (v < -1 || v > 1) throw new InputError(file, line, `${column} ${text} is outside [-1, 1] and is not the missing-label sentinel ${MISSING_VA}`);
  return v;
}

function parseExpression(file: string, line: number, text: string): number | null {
  const v = parseNumber(file, line, 'expression', text);
  if (v === MISSING_EXPRESSION) return null;
  if (!Number.isInteger(v) || v < 0 || v >= NUM_EXPRESSIONS) {
    throw new InputError(file, line, `expression ${text} is not a class index 0..${NUM_EXPRESSIONS - 1} nor the missing-label sentinel ${MISSING_EXPRESSION}`);
  }
  return v;
}

function parseAu(file: string, line: number, column: string, text: string): 0 | 1 | null {
  const v = parseNumber(file, line, column, text);
  if (v === MISSING_AU) return null;
  if (v !== 0 && v !== 1) throw new InputError(file, line, `${column} ${text} is not 0, 1 nor the missing-label sentinel ${MISSING_AU}`);
  return v;
}

function splitRow(file: string, line: number, text: string): string[] {
  const cells = text.split(',');
  if (cells.length !== ANNOTATION_HEADER.length) {
    throw new InputError(file, line, `expected ${ANNOTATION_HEADER.length} comma-separated columns, found ${cells.length}`);
  }
  if (cells[0]!.trim() === '') throw new InputError(file, line, 'empty image path');
  return cells;
}

/** Parse annotation text. `file` is only used in error messages. */
export function parseAnnotations(text: string, file: string): FrameLabels[] {
  const lines = splitLines(text);
  checkHeader(file, lines[0]);
  const rows: FrameLabels[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i]!.trim() === '') throw new InputError(file, line, 'empty line');
    const c = splitRow(file, line, lines[i]!);
    const valence = parseVa(file, line, 'valence', c[1]!);
    const arousal = parseVa(file, line, 'arousal', c[2]!);
    if ((valence === null) !== (arousal === null)) {
      throw new InputError(file, line, 'valence and arousal must be both labelled or both missing (-5)');
    }
    rows.push({
      image: c[0]!.trim(),
      valence,
      arousal,
      expression: parseExpression(file, line, c[3]!),
      aus: AU_NAMES.map((name, j) => parseAu(file, line, name, c[4 + j]!)),
    });
  }
  return rows;
}

/**
 * Parse a predictions (ABAW submission) file. A sentinel means "no prediction" and is scored as
 * the weakest answer, never skipped: AU -1 counts as absent (0), expression -1 as wrong for every
 * class, valence/arousal -5 as 0. So a label file scored as its own predictions is valid.
 */
export function parsePredictions(text: string, file: string): FramePrediction[] {
  const lines = splitLines(text);
  checkHeader(file, lines[0]);
  const rows: FramePrediction[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const c = splitRow(file, line, lines[i]!);
    rows.push({
      image: c[0]!.trim(),
      valence: parseVa(file, line, 'valence', c[1]!) ?? 0,
      arousal: parseVa(file, line, 'arousal', c[2]!) ?? 0,
      expression: parseExpression(file, line, c[3]!) ?? MISSING_EXPRESSION,
      aus: AU_NAMES.map((name, j) => {
        const v = parseNumber(file, line, name, c[4 + j]!);
        if (v === MISSING_AU) return 0;
        if (v < 0 || v > 1) throw new InputError(file, line, `predicted ${name} ${c[4 + j]} is outside [0, 1] and is not the sentinel ${MISSING_AU}`);
        return v;
      }),
    });
  }
  return rows;
}

/** Per-task counts and AU positive rates. */
export function labelStats(rows: readonly FrameLabels[]): LabelStats {
  const expressionCounts = new Array<number>(NUM_EXPRESSIONS).fill(0);
  const auLabelled = new Array<number>(NUM_AUS).fill(0);
  const auPositives = new Array<number>(NUM_AUS).fill(0);
  let va = 0;
  let expression = 0;
  for (const r of rows) {
    if (r.valence !== null) va++;
    if (r.expression !== null) {
      expression++;
      expressionCounts[r.expression]!++;
    }
    r.aus.forEach((a, j) => {
      if (a === null) return;
      auLabelled[j]!++;
      auPositives[j]! += a;
    });
  }
  return {
    frames: rows.length,
    va,
    expression,
    expressionCounts,
    auLabelled,
    auPositives,
    auPositiveRate: auPositives.map((p, j) => (auLabelled[j] === 0 ? Number.NaN : p / auLabelled[j]!)),
  };
}

/** Read an s-Aff-Wild2 multi-task annotation file. */
export async function readAnnotations(file: string): Promise<AnnotationSet> {
  const abs = resolve(file);
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (e) {
    throw new InputError(file, undefined, `cannot read annotation file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const rows = parseAnnotations(text, file);
  return { file: abs, rows, stats: labelStats(rows) };
}

/** Read an ABAW submission-format predictions file. */
export async function readPredictions(file: string): Promise<FramePrediction[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(file, undefined, `cannot read predictions file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return parsePredictions(text, file);
}

/** The absolute path of a row's image. */
export function imagePath(set: Pick<AnnotationSet, 'file'>, row: Pick<FrameLabels, 'image'>): string {
  return isAbsolute(row.image) ? row.image : resolve(dirname(set.file), row.image);
}

/** Format rows in the annotation format, sentinels for missing labels. */
export function formatAnnotations(rows: readonly FrameLabels[]): string {
  const out = [ANNOTATION_HEADER.join(',')];
  for (const r of rows) {
    out.push([
      r.image,
      r.valence ?? MISSING_VA,
      r.arousal ?? MISSING_VA,
      r.expression ?? MISSING_EXPRESSION,
      ...r.aus.map((a) => a ?? MISSING_AU),
    ].join(','));
  }
  return out.join('\n') + '\n';
}

/** Format predictions in the ABAW submission format. */
export function formatPredictions(rows: readonly FramePrediction[]): string {
  const out = [ANNOTATION_HEADER.join(',')];
  for (const r of rows) out.push([r.image, r.valence, r.arousal, r.expression, ...r.aus].join(','));
  return out.join('\n') + '\n';
}

export async function writeAnnotations(file: string, rows: readonly FrameLabels[]): Promise<void> {
  await writeFileAtomic(file, formatAnnotations(rows));
}

export async function writePredictions(file: string, rows: readonly FramePrediction[]): Promise<void> {
  await writeFileAtomic(file, formatPredictions(rows));
}
