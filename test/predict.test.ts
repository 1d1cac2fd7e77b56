// End to end through the CLI: extract faceres features of the tiny set, train small heads on them,
// then `affectzoo predict` on the group photo, a second of the street video and bad inputs.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));
const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
const hasFfmpeg = await run('ffmpeg', ['-version']).then(() => true, () => false);
const present = existsSync(`${SHARED}models/faceres_mobilenetv1.onnx`) && existsSync(`${SHARED}data/tiny/annotations.txt`);
if (!present) console.warn(`skipping predict end-to-end tests: ${SHARED} is absent`);
const env = { ...process.env, AFFECTZOO_CACHE: `${SHARED}models` };

async function affectzoo(...args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], { env, maxBuffer: 1 << 26 });
    return { ...r, code: 0 };
  } catch (e) {
    const err = e as { stdout: string; stderr: string; code: number };
    return { stdout: err.stdout, stderr: err.stderr, code: err.code };
  }
}

const csv = async (file: string) => {
  const [header, ...lines] = (await readFile(file, 'utf8')).trim().split('\n');
  const cols = header!.split(',');
  // No field in these tests holds a comma, so a plain split is exact.
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
};

let dir = '';

describe.skipIf(!present)('affectzoo predict', () => {
  beforeAll(async () => {
    dir = await mkdtemp(fileURLToPath(new URL('./fixtures/.tmp-predict-', import.meta.url)));
    const tiny = `${SHARED}data/tiny/annotations.txt`;
    const ex = await affectzoo('extract', '--backbone', 'faceres', '--backend', 'onnx', '--data', tiny, '--out', join(dir, 'features/tiny'), '--no-progress');
    expect(ex.code, ex.stderr).toBe(0);
    await writeFile(join(dir, 'config.yaml'), [
      'seed: 1',
      'backend: { name: onnx }',
      'backbone: { name: faceres }',
      'heads: [{ name: multihead, options: { hidden: 0 } }]',
      'losses: [{ name: au-weighted-asymmetric, task: au }, { name: cross-entropy, task: expression }, { name: ccc, task: va }]',
      'optimizer: { name: adamw }',
      `data: { train: [${tiny}], val: [${tiny}], features: features }`,
      'train: { schedule: joint, steps: 20, evalEvery: 20, batchSize: 16, standardize: true, out: model }',
    ].join('\n'));
    const tr = await affectzoo('train', '--config', join(dir, 'config.yaml'), '--quiet');
    expect(tr.code, tr.stderr).toBe(0);
  }, 240_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes one row per face of the group photo, a no-face row and an error row, and an annotated copy', async () => {
    const blank = join(dir, 'blank.png');
    const sharp = (await import('sharp')).default;
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).png().toFile(blank);
    const empty = join(dir, 'empty.jpg');
    await writeFile(empty, '');
    const out = join(dir, 'photo.csv');
    const r = await affectzoo('predict', `${SHARED}media/multiface.jpg`, blank, empty, '--out', out,
      '--config', join(dir, 'config.yaml'), '--checkpoint', join(dir, 'model'), '--annotate', join(dir, 'annotated'), '--no-progress');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/empty\.jpg: cannot decode image/);
    const rows = await csv(out);
    const faces = rows.filter((x) => x.source!.endsWith('multiface.jpg'));
    expect(faces.map((x) => x.face)).toEqual(['0', '1', '2', '3', '4', '5']);
    for (const f of faces) {
      const probs = ['Neutral', 'Anger', 'Disgust', 'Fear', 'Happiness', 'Sadness', 'Surprise', 'Other'].map((n) => Number(f[`p_${n}`]));
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
      expect(Number(f.AU12)).toBeGreaterThanOrEqual(0);
      expect(Number(f.AU12)).toBeLessThanOrEqual(1);
      expect(Math.abs(Number(f.valence))).toBeLessThanOrEqual(1);
    }
    expect(rows.find((x) => x.source === blank)).toMatchObject({ status: 'no_face', face: '-1' });
    expect(rows.find((x) => x.source === empty)).toMatchObject({ status: 'error' });
    expect(existsSync(join(dir, 'annotated/multiface.annotated.jpg'))).toBe(true);
  }, 120_000);

  it.skipIf(!hasFfmpeg)('follows faces through a second of video with stable ids, smoothing, as JSON lines', async () => {
    const out = join(dir, 'street.jsonl');
    const r = await affectzoo('predict', `${SHARED}media/street.mp4`, '--start', '1', '--end', '2', '--smooth', '2', '--out', out,
      '--config', join(dir, 'config.yaml'), '--checkpoint', join(dir, 'model'), '--annotate', join(dir, 'annotated'), '--no-progress');
    expect(r.code, r.stderr).toBe(0);
    // The annotated video holds every analysed frame, decodable, at the decoded size.
    const probe = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=width,nb_read_frames', '-of', 'csv=p=0', join(dir, 'annotated/street.annotated.mp4')]);
    expect(probe.stdout.trim()).toBe('1280,25');
    const rows = (await readFile(out, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { frame: number; face: number; time: number; status: string });
    expect(new Set(rows.map((x) => x.frame)).size).toBe(25);
    expect(rows[0]!.frame).toBe(25);
    expect(rows[0]!.time).toBeCloseTo(1, 5);
    // Boxes are in the 1920x1080 source's pixels, though frames were decoded at 1280x720.
    expect(Math.max(...rows.filter((x) => x.status === 'ok').map((x) => (x as unknown as { box: number[] }).box[0]!))).toBeGreaterThan(1280);
    const faces = rows.filter((x) => x.status === 'ok');
    expect(faces.length / 25).toBeGreaterThan(2);
    expect(new Set(faces.map((x) => x.face)).size).toBeLessThan(faces.length / 5);
  }, 120_000);

  it('finds the same six faces with the bundled BlazeFace detector', async () => {
    const out = join(dir, 'blaze.csv');
    const r = await affectzoo('predict', `${SHARED}media/multiface.jpg`, '--detector', 'blazeface', '--out', out,
      '--config', join(dir, 'config.yaml'), '--checkpoint', join(dir, 'model'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/faces found by blazeface/);
    const rows = await csv(out);
    expect(rows.map((x) => x.status)).toEqual(new Array(6).fill('ok'));
    // BlazeFace gives six landmarks: the sixth slot is filled.
    expect(rows.every((x) => x.lm6_x !== '')).toBe(true);
  }, 120_000);

  it('names a missing input and writes no partial output', async () => {
    const missing = await affectzoo('predict', join(dir, 'nope.jpg'), '--out', join(dir, 'x.csv'), '--config', join(dir, 'config.yaml'), '--checkpoint', join(dir, 'model'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.jpg: no such file or folder/);
    expect(existsSync(join(dir, 'x.csv'))).toBe(false);
  });

  it('uses the bundled default model when no checkpoint is given', async () => {
    const out = join(dir, 'default.csv');
    const r = await affectzoo('predict', `${SHARED}media/multiface.jpg`, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/the default model: faceres/);
    const rows = await csv(out);
    expect(rows).toHaveLength(6);
    // The two smiling women of the photo (centres counted by eye) come out as Happiness.
    const at = (px: number, py: number) => rows.find((x) => Number(x.x) < px && px < Number(x.x) + Number(x.w) && Number(x.y) < py && py < Number(x.y) + Number(x.h));
    expect(at(265, 300)?.expression).toBe('Happiness');
    expect(at(660, 245)?.expression).toBe('Happiness');
  }, 120_000);
});
