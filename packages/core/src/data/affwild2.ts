/**
 * Reader for the per-task, per-video Aff-Wild2 annotation folders of the ABAW challenges:
 *
 *   VA_Estimation_Challenge/<set>/<video>.txt       header "valence,arousal", then "v,a" per frame
 *   EXPR_Classification_Challenge/<set>/<video>.txt header "Neutral,Anger,...,Other", then one class per frame
 *   AU_Detection_Challenge/<set>/<video>.txt        header "AU1,...,AU26", then 12 values per frame
 *
 * Line n+1 of a video's file labels frame n (1-based), whose cropped-aligned image is
 * `<video>/<nnnnn>.jpg`. Sentinels as in the multi-task file (-5 VA, -1 expression and AU).
 * The three tasks are merged by video and frame into the same rows as the multi-task reader.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AU_NAMES, EXPRESSION_NAMES, MISSING_AU, MISSING_EXPRESSION, MISSING_VA, NUM_EXPRESSIONS } from '../labels.js';
import { InputError } from '../errors.js';
import { labelStats, type AnnotationSet, type FrameLabels } from './annotations.js';

export interface AffWild2Folders {
  /** Folder of per-video VA files. */
  va?: string;
  /** Folder of per-video expression files. */
  expr?: string;
  /** Folder of per-video AU files. */
  au?: string;
  /** Folder holding `<video>/<frame>.jpg` (the cropped-aligned images). Defaults to the current folder. */
  images?: string;
}

type LineParser<T> = (cells: string[], fail: (reason: string) => never) => T;

/** Read every `<video>.txt` in a folder: check the header, parse each line, keyed by video name. */
async function readVideoFiles<T>(dir: string, header: readonly string[], cellsPerLine: number, parse: LineParser<T>): Promise<Map<string, T[]>> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.txt')).sort();
  } catch (e) {
    throw new InputError(dir, undefined, `cannot read annotation folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const out = new Map<string, T[]>();
  for (const name of names) {
    const file = join(dir, name);
    const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    const got = (lines[0] ?? '').replace(/^\uFEFF/, '').split(',').map((c) => c.trim().toLowerCase());
    if (got.length !== header.length || got.some((c, i) => c !== header[i]!.toLowerCase())) {
      throw new InputError(file, 1, `expected the header "${header.join(',')}", found "${lines[0] ?? ''}"`);
    }
    const rows: T[] = [];
    for (let i = 1; i < lines.length; i++) {
      const fail = (reason: string): never => { throw new InputError(file, i + 1, reason); };
      const cells = lines[i]!.split(',').map((c) => c.trim());
      if (cells.length !== cellsPerLine) fail(`expected ${cellsPerLine} comma-separated values, found ${cells.length}`);
      rows.push(parse(cells, fail));
    }
    out.set(basename(name, '.txt'), rows);
  }
  return out;
}

function toNumber(text: string, column: string, fail: (reason: string) => never): number {
  const v = text === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(v)) fail(`${column}: "${text}" is not a number`);
  return v;
}

const parseVa: LineParser<[number, number] | null> = (cells, fail) => {
  const [v, a] = cells.map((t, k) => {
    const column = k === 0 ? 'valence' : 'arousal';
    const x = toNumber(t, column, fail);
    if (x !== MISSING_VA && (x < -1 || x > 1)) fail(`${column} ${t} is outside [-1, 1] and is not the sentinel ${MISSING_VA}`);
    return x;
  }) as [number, number];
  return v === MISSING_VA || a === MISSING_VA ? null : [v, a];
};

const parseExpr: LineParser<number | null> = (cells, fail) => {
  const x = toNumber(cells[0]!, 'expression', fail);
  if (x === MISSING_EXPRESSION) return null;
  if (!Number.isInteger(x) || x < 0 || x >= NUM_EXPRESSIONS) {
    fail(`expression ${cells[0]} is not a class index 0..${NUM_EXPRESSIONS - 1} nor the sentinel ${MISSING_EXPRESSION}`);
  }
  return x;
};

const parseAus: LineParser<(0 | 1 | null)[]> = (cells, fail) =>
  cells.map((t, k) => {
    const x = toNumber(t, AU_NAMES[k]!, fail);
    if (x === MISSING_AU) return null;
    if (x !== 0 && x !== 1) fail(`${AU_NAMES[k]} ${t} is not 0, 1 nor the sentinel ${MISSING_AU}`);
    return x as 0 | 1;
  });

/** Read and merge the per-task folders; at least one task folder must be given. */
export async function readAffWild2Folders(folders: AffWild2Folders): Promise<AnnotationSet> {
  if (!folders.va && !folders.expr && !folders.au) {
    throw new InputError('(affwild2 folders)', undefined, 'give at least one of the VA, EXPR and AU annotation folders');
  }
  const empty = new Map<string, never[]>();
  const va = folders.va ? await readVideoFiles(folders.va, ['valence', 'arousal'], 2, parseVa) : empty;
  const expr = folders.expr ? await readVideoFiles(folders.expr, EXPRESSION_NAMES, 1, parseExpr) : empty;
  const au = folders.au ? await readVideoFiles(folders.au, AU_NAMES, AU_NAMES.length, parseAus) : empty;

  const rows: FrameLabels[] = [];
  for (const video of [...new Set([...va.keys(), ...expr.keys(), ...au.keys()])].sort()) {
    const v = va.get(video) ?? [];
    const e = expr.get(video) ?? [];
    const a = au.get(video) ?? [];
    const frames = Math.max(v.length, e.length, a.length);
    for (let f = 0; f < frames; f++) {
      const row: FrameLabels = {
        image: `${video}/${String(f + 1).padStart(5, '0')}.jpg`,
        valence: v[f]?.[0] ?? null,
        arousal: v[f]?.[1] ?? null,
        expression: e[f] ?? null,
        aus: a[f] ?? AU_NAMES.map(() => null),
      };
      // A frame no task labels carries nothing to train or score on.
      if (row.valence === null && row.expression === null && row.aus.every((x) => x === null)) continue;
      rows.push(row);
    }
  }
  // Image paths are relative to the folder of `file`, so place `file` inside the images folder.
  const file = join(resolve(folders.images ?? '.'), '.affwild2-folders');
  return { file, rows, stats: labelStats(rows) };
}
