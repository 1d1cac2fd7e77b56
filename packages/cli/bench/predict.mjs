// Benchmark (not a test): `affectzoo predict` on the street video (1080p, 25 fps, several faces),
// frames/s and faces/s per backbone backend, against a reference run in the same process that
// decodes and detects only (no model), so the ratio shows what the model costs. Memory (RSS) is
// printed after each run; `--loops N` feeds the clip N times to show it stays flat.
//   npm run bench:predict -- --config <file> --checkpoint <dir> [--loops 3] [--backends onnx,wasm]
// Needs ../shared beside the repository (the video and the model files) and ffmpeg.
import { existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeFrames, readVideo, YuNet } from '@affectzoo/faces';
import { runPredict } from '../dist/index.js';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
const VIDEO = `${SHARED}media/street.mp4`;
if (!existsSync(VIDEO)) {
  console.log(`bench:predict needs ${SHARED} (the street video and the model files); skipped`);
  process.exit(0);
}
process.env.AFFECTZOO_CACHE ??= `${SHARED}models`;
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const config = arg('config');
const checkpoint = arg('checkpoint');
if (!checkpoint) {
  console.error('usage: npm run bench:predict -- --config <file> --checkpoint <dir> [--loops N] [--backends onnx,wasm]');
  process.exit(2);
}
const loops = Number(arg('loops', '1'));
const backends = arg('backends', 'onnx,wasm').split(',');
const rss = () => `${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`;

console.log(`machine: ${cpus().length} x ${cpus()[0]?.model}, node ${process.version}`);
console.log(`command: npm run bench:predict -- ${process.argv.slice(2).join(' ')}`);
console.log(`input: ${VIDEO} x ${loops}`);

/** Decode + detect + align only: the reference every run is compared with. */
async function reference() {
  const detector = await YuNet.load(`${SHARED}models/yunet_n_dynamic.onnx`);
  const analyzer = { input: { width: 224, height: 224 }, analyze: async (crops) => crops.map(() => ({ aus: new Float32Array(12), expression: new Float32Array(8), valence: 0, arousal: 0 })) };
  let frames = 0;
  let faces = 0;
  const t0 = performance.now();
  for (let l = 0; l < loops; l++) {
    const stream = (async function* () {
      for await (const f of readVideo(VIDEO, { maxSide: 1280 })) yield { source: 'street', frame: f.index, time: f.time, image: f };
    })();
    for await (const row of analyzeFrames(stream, { detector, analyzer, align: { method: 'landmarks', margin: 0 }, batchSize: 32, smoothSigma: 0 })) {
      if (row.status === 'ok') faces++;
    }
    frames += 105;
  }
  await detector.dispose();
  return { frames, faces, seconds: (performance.now() - t0) / 1000 };
}

const ref = await reference();
const refFps = ref.frames / ref.seconds;
console.log(`reference (decode + detect + align, no model): ${refFps.toFixed(1)} frames/s, ${(ref.faces / ref.seconds).toFixed(1)} faces/s, ${(ref.faces / ref.frames).toFixed(2)} faces/frame, rss ${rss()}`);
for (const backend of backends) {
  const inputs = Array.from({ length: loops }, () => VIDEO);
  const s = await runPredict(inputs, { out: join(tmpdir(), `bench-predict-${backend}.csv`), config, checkpoint, backend, progress: false });
  const fps = s.frames / s.seconds;
  console.log(`predict, backbone on ${backend}: ${fps.toFixed(1)} frames/s, ${(s.faces / s.seconds).toFixed(1)} faces/s (${(fps / refFps).toFixed(2)}x the reference), rss ${rss()}`);
}
