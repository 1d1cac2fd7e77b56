// The frames-to-rows pipeline, with a small deterministic analyzer standing in for a trained model:
// it answers from the crop's mean brightness, so rows can be checked against what was cropped.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  analyzeFrames, annotateImage, CSV_COLUMNS, expandInputs, readImageFrame, readVideo, RowWriter, YuNet,
  type FaceAnalyzer, type PredictionRow, type RgbFrame, type SourceFrame,
} from '../src/index.js';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const present = existsSync(`${SHARED}models/yunet_n_dynamic.onnx`);
if (!present) console.warn(`skipping pipeline tests: ${SHARED} is absent`);

class BrightnessAnalyzer implements FaceAnalyzer {
  readonly input = { width: 64, height: 64 };
  batches: number[] = [];
  async analyze(crops: readonly RgbFrame[]) {
    this.batches.push(crops.length);
    return crops.map((c) => {
      let sum = 0;
      for (const v of c.data) sum += v;
      const m = sum / c.data.length / 255;
      const expression = new Array(8).fill(0.1);
      expression[m > 0.5 ? 4 : 0] = 0.3;
      return { aus: new Array(12).fill(m), expression, valence: m * 2 - 1, arousal: 0 };
    });
  }
}

async function* once(frames: SourceFrame[]) {
  yield* frames;
}

async function collect(rows: AsyncIterable<PredictionRow>) {
  const out: PredictionRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

describe.skipIf(!present)('analyzeFrames', () => {
  it('gives one row per face of the group photo and a no_face row for a blank image', async () => {
    const detector = await YuNet.load(`${SHARED}models/yunet_n_dynamic.onnx`);
    const analyzer = new BrightnessAnalyzer();
    const photo = await readImageFrame(`${SHARED}media/multiface.jpg`, 0);
    const blank: SourceFrame = { source: 'blank', frame: 0, time: 0, image: { data: new Uint8Array(64 * 64 * 3), width: 64, height: 64 } };
    const rows = await collect(analyzeFrames(once([photo, blank]), {
      detector, analyzer, align: { method: 'landmarks', margin: 0 }, batchSize: 4, smoothSigma: 2,
    }, true));
    expect(rows.filter((r) => r.source.endsWith('multiface.jpg')).map((r) => r.face)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(rows.at(-1)).toMatchObject({ source: 'blank', status: 'no_face', face: -1 });
    // Batches fill across images: 6 faces in batches reaching 4 -> one batch of 6 (image granularity).
    expect(analyzer.batches.reduce((a, b) => a + b, 0)).toBe(6);
    const ok = rows[0]!;
    expect(ok.aus).toHaveLength(12);
    expect(ok.expressionProbs).toHaveLength(8);
    expect(ok.valence).toBeCloseTo(ok.aus![0]! * 2 - 1, 5);
    expect(['Neutral', 'Happiness']).toContain(ok.expression);
    await detector.dispose();
  });

  it('reports boxes in source pixels when the image is decoded smaller', async () => {
    const detector = await YuNet.load(`${SHARED}models/yunet_n_dynamic.onnx`);
    const run = async (maxSide: number) => collect(analyzeFrames(once([await readImageFrame(`${SHARED}media/multiface.jpg`, maxSide)]), {
      detector, analyzer: new BrightnessAnalyzer(), align: { method: 'landmarks', margin: 0 }, batchSize: 8, smoothSigma: 0,
    }, true));
    const full = await run(0);
    const half = await run(600);
    expect(half).toHaveLength(6);
    // Same faces, same order of magnitude: box centres agree within a few source pixels.
    for (const r of half) {
      const c = [r.box![0] + r.box![2] / 2, r.box![1] + r.box![3] / 2];
      const nearest = Math.min(...full.map((f) => Math.hypot(f.box![0] + f.box![2] / 2 - c[0]!, f.box![1] + f.box![3] / 2 - c[1]!)));
      expect(nearest).toBeLessThan(8);
    }
    await detector.dispose();
  });

  it('treats --aligned images as whole faces', async () => {
    const analyzer = new BrightnessAnalyzer();
    const white: SourceFrame = { source: 'w', frame: 0, time: 0, image: { data: new Uint8Array(32 * 32 * 3).fill(255), width: 32, height: 32 } };
    const rows = await collect(analyzeFrames(once([white]), { detector: null, analyzer, align: { method: 'box', margin: 0 }, batchSize: 8, smoothSigma: 0 }, true));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.aus![0]).toBeCloseTo(1, 5);
    expect(rows[0]!.expression).toBe('Happiness');
  });

  it('keeps face ids stable across video frames, in frame order', async () => {
    const detector = await YuNet.load(`${SHARED}models/yunet_n_dynamic.onnx`);
    const frames = (async function* () {
      for await (const f of readVideo(`${SHARED}media/street.mp4`, { start: 1, end: 2, maxSide: 960 })) {
        yield { source: 'street', frame: f.index, time: f.time, image: f } satisfies SourceFrame;
      }
    })();
    const rows = await collect(analyzeFrames(frames, { detector, analyzer: new BrightnessAnalyzer(), align: { method: 'landmarks', margin: 0 }, batchSize: 8, smoothSigma: 2 }));
    const frameOrder = rows.map((r) => r.frame);
    expect(frameOrder).toEqual([...frameOrder].sort((a, b) => a - b));
    expect(new Set(frameOrder).size).toBe(25);
    // Most faces persist through the second: far fewer ids than face rows.
    const faces = rows.filter((r) => r.status === 'ok');
    expect(faces.length).toBeGreaterThan(25);
    expect(new Set(faces.map((r) => r.face)).size).toBeLessThan(faces.length / 5);
    await detector.dispose();
  });
});

describe('inputs and outputs', () => {
  it('expands folders and patterns, and names a path that does not exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'az-in-'));
    await sharp({ create: { width: 4, height: 4, channels: 3, background: '#fff' } }).png().toFile(join(dir, 'a.png'));
    await writeFile(join(dir, 'notes.txt'), 'x');
    await writeFile(join(dir, 'clip.mp4'), '');
    expect((await expandInputs([dir])).map((f) => [f.path.slice(dir.length + 1), f.kind])).toEqual([['a.png', 'image'], ['clip.mp4', 'video']]);
    expect(await expandInputs([join(dir, '*.png')])).toHaveLength(1);
    await expect(expandInputs([join(dir, 'missing.jpg')])).rejects.toThrow(/missing\.jpg: no such file or folder/);
    await expect(expandInputs([join(dir, '*.gif')])).rejects.toThrow(/matches no image or video/);
    await writeFile(join(dir, 'zero.jpg'), '');
    await expect(readImageFrame(join(dir, 'zero.jpg'), 0)).rejects.toThrow(/zero\.jpg: cannot decode image/);
  });

  it('writes CSV with a full header, atomically', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'az-out-'));
    const file = join(dir, 'rows.csv');
    const w = new RowWriter(file);
    await w.write({ source: 'a,b.jpg', frame: 0, time: 0, face: -1, status: 'no_face', box: null, landmarks: null, score: null, aus: null, expressionProbs: null, expression: null, valence: null, arousal: null });
    expect(existsSync(file)).toBe(false);
    await w.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines[0]!.split(',')).toEqual(CSV_COLUMNS);
    expect(lines[1]!.startsWith('"a,b.jpg",0,0,-1,no_face,')).toBe(true);
  });

  it.skipIf(!present)('draws an annotated image', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'az-ann-'));
    const frame = await readImageFrame(`${SHARED}media/multiface.jpg`, 0);
    const row: PredictionRow = { source: 's', frame: 0, time: 0, face: 0, status: 'ok', box: [556, 50, 79, 107], landmarks: [[580, 90]], score: 0.9, aus: new Array(12).fill(0), expressionProbs: new Array(8).fill(0.125), expression: 'Happiness', valence: 0.5, arousal: 0.1 };
    await annotateImage(frame.image, [row], join(dir, 'a.png'));
    const { data, info } = await sharp(join(dir, 'a.png')).raw().toBuffer({ resolveWithObject: true });
    // The box's top edge is drawn in green.
    const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    expect(at(590, 50)).toEqual([0, 255, 102]);
  });
});
