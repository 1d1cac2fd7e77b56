/**
 * Output of `affectzoo predict`: CSV (one row per face per frame, a header naming every column)
 * or JSON lines (one `PredictionRow` object per line), streamed to a file written under a
 * temporary name and renamed when complete, so an interrupted run never leaves a partial file
 * under the final name.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { AU_NAMES, EXPRESSION_NAMES } from '@affectzoo/core';
import type { PredictionRow } from './analyze.js';

/**
 * Landmark columns: as many as the detector with the most points (BlazeFace's 6), in the
 * detector's order (YuNet: left eye, right eye, nose, left and right mouth corners; BlazeFace:
 * left eye, right eye, nose, mouth centre, left and right ear, all as seen in the image); columns
 * a detector does not fill are empty.
 */
const LANDMARK_SLOTS = [1, 2, 3, 4, 5, 6];

export const CSV_COLUMNS = [
  'source', 'frame', 'time', 'face', 'status', 'x', 'y', 'w', 'h',
  ...LANDMARK_SLOTS.flatMap((i) => [`lm${i}_x`, `lm${i}_y`]),
  'score', ...AU_NAMES, ...EXPRESSION_NAMES.map((n) => `p_${n}`), 'expression', 'valence', 'arousal', 'error',
];

const num = (x: number | null | undefined, digits: number) => (x === null || x === undefined ? '' : Number(x.toFixed(digits)).toString());
const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function csvLine(r: PredictionRow): string {
  const cells = [
    quote(r.source), String(r.frame), num(r.time, 3), String(r.face), r.status,
    ...(r.box ?? [null, null, null, null]).map((v) => num(v, 1)),
    ...LANDMARK_SLOTS.flatMap((_, i) => r.landmarks?.[i] ?? [null, null]).map((v) => num(v, 1)),
    num(r.score, 4),
    ...(r.aus ?? new Array<null>(AU_NAMES.length).fill(null)).map((v) => num(v, 4)),
    ...(r.expressionProbs ?? new Array<null>(EXPRESSION_NAMES.length).fill(null)).map((v) => num(v, 4)),
    r.expression ?? '', num(r.valence, 4), num(r.arousal, 4), quote(r.error ?? ''),
  ];
  return cells.join(',');
}

export class RowWriter {
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private readonly format: 'csv' | 'jsonl';
  rows = 0;

  constructor(readonly file: string) {
    this.format = /\.jsonl?$/i.test(file) ? 'jsonl' : 'csv';
    this.tmp = `${file}.partial`;
    this.stream = createWriteStream(this.tmp);
    if (this.format === 'csv') this.stream.write(CSV_COLUMNS.join(',') + '\n');
  }

  async write(row: PredictionRow): Promise<void> {
    this.rows++;
    const line = (this.format === 'csv' ? csvLine(row) : JSON.stringify(row)) + '\n';
    if (!this.stream.write(line)) await once(this.stream, 'drain');
  }

  /** Finish the file under its final name. */
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
    await rename(this.tmp, this.file);
  }

  /** Give up: remove the partial file. */
  async abort(): Promise<void> {
    this.stream.destroy();
    await rm(this.tmp, { force: true });
  }
}
