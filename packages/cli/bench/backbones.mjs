// Benchmark (not a test): faceres images/s at batch 1 and 32 on each backend, measured in one run,
// inference alone and through the extraction pipeline (decode overlapped with inference), plus
// the memory of a long ONNX extraction. Run after `npm run build`:
//   npm run bench:backbones -- [--long 20000] [--cpu]
// Needs ../shared beside the repository (real images and the faceres ONNX file).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tfjsTensorCount } from '@affectzoo/backbones';
import { decodeImages, formatAnnotations, imagePath, readAnnotations } from '@affectzoo/core';
import { buildRegistry, runExtraction } from '../dist/index.js';

const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
if (!existsSync(`${SHARED}models/faceres_mobilenetv1.onnx`)) {
  console.log(`bench:backbones needs ${SHARED} (real images and models); skipped`);
  process.exit(0);
}
process.env.AFFECTZOO_CACHE ??= `${SHARED}models`;
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const LONG = arg('long', 20000);
const backends = ['onnx', 'wasm', ...(process.argv.includes('--cpu') ? ['cpu'] : [])];

const registry = await buildRegistry();
const backbone = await registry.create('backbone', { name: 'faceres' });
const tiny = await readAnnotations(`${SHARED}data/tiny/annotations.txt`);
const { images } = await decodeImages(tiny.rows.map((r) => imagePath(tiny, r)), { width: backbone.input.width, height: backbone.input.height });

/** An annotation file of `n` real images (cycling over CK+ and AffectNet), paths absolute. */
async function annotationFile(dir, n) {
  const rows = [];
  for (const f of ['ckplus/dev.txt', 'affectnet/dev.txt']) {
    const set = await readAnnotations(`${SHARED}data/${f}`);
    rows.push(...set.rows.map((r) => ({ ...r, image: imagePath(set, r) })));
  }
  const file = join(dir, `bench-${n}.txt`);
  await writeFile(file, formatAnnotations(Array.from({ length: n }, (_, i) => rows[i % rows.length])));
  return file;
}

/** Inference alone on decoded images: images/s over at least `minImages` and 2 s. */
async function inferenceRate(extractor, batch, minImages) {
  const pick = (i) => Array.from({ length: batch }, (_, k) => images[(i + k) % images.length]);
  await extractor.extract(pick(0));
  let n = 0;
  const t0 = performance.now();
  while (n < minImages || performance.now() - t0 < 2000) {
    await extractor.extract(pick(n));
    n += batch;
  }
  return n / ((performance.now() - t0) / 1000);
}

async function pipelineRate(extractor, backend, batch, file, dir) {
  const out = join(dir, `out-${backend}-${batch}`);
  const t0 = performance.now();
  const r = await runExtraction({
    annotations: file, out, extractor, backbone: { name: 'faceres', fingerprint: 'bench' }, backend,
    batchSize: batch, augmentCopies: 0, seed: 0, onBadImage: 'stop',
  });
  const rate = r.rows / ((performance.now() - t0) / 1000);
  await rm(out, { recursive: true, force: true });
  return rate;
}

const dir = await mkdtemp(join(tmpdir(), 'bench-backbones-'));
const results = {};
try {
  for (const name of backends) {
    const backend = await registry.create('backend', { name });
    const extractor = await backbone.load(backend);
    const tensorsAfterLoad = tfjsTensorCount(); // the model's weights
    const fast = name === 'onnx';
    const few = name === 'cpu' ? 4 : 64;
    results[name] = {};
    for (const batch of [1, 32]) {
      if (name === 'cpu' && batch === 32) continue; // about 1 img/s: batch 32 adds minutes, not information
      const infer = await inferenceRate(extractor, batch, fast ? 320 : few);
      const file = await annotationFile(dir, fast ? 640 : Math.max(few, batch * 2));
      const piped = await pipelineRate(extractor, name, batch, file, dir);
      results[name][batch] = { infer, piped };
      console.log(`${name.padEnd(5)} batch ${String(batch).padStart(2)}: inference ${infer.toFixed(1)} img/s, with decoding overlapped ${piped.toFixed(1)} img/s  [${backend.describe()}]`);
    }
    if (name !== 'onnx') console.log(`${name.padEnd(5)} TF.js tensors: ${tensorsAfterLoad} after loading (weights), ${tfjsTensorCount()} after the runs`);
    await extractor.dispose();
  }
  for (const name of backends.filter((b) => b !== 'onnx')) {
    for (const batch of [1, 32]) {
      const a = results.onnx[batch];
      const b = results[name][batch];
      if (a && b) console.log(`ratio onnx/${name} batch ${batch}: inference ${(a.infer / b.infer).toFixed(1)}x, with decoding ${(a.piped / b.piped).toFixed(1)}x`);
    }
  }

  if (LONG > 0) {
    // Memory over a long run: RSS sampled every 1000 images after a warm-up of 2000.
    const extractor = await backbone.load(await registry.create('backend', { name: 'onnx' }));
    const file = await annotationFile(dir, LONG);
    const samples = [];
    let next = 2000;
    const t0 = performance.now();
    await runExtraction({
      annotations: file, out: join(dir, 'long'), extractor, backbone: { name: 'faceres', fingerprint: 'bench-long' }, backend: 'onnx',
      batchSize: 32, augmentCopies: 0, seed: 0, onBadImage: 'stop',
      onProgress: (done) => {
        if (done >= next) {
          samples.push({ done, rss: process.memoryUsage().rss / 2 ** 20, heap: process.memoryUsage().heapUsed / 2 ** 20 });
          next += 1000;
        }
      },
    });
    const s = (performance.now() - t0) / 1000;
    const rss = samples.map((x) => x.rss);
    console.log(`long run: ${LONG} images at batch 32 in ${s.toFixed(0)} s (${(LONG / s).toFixed(1)} img/s, decode overlapped)`);
    console.log(`  RSS MiB after 2000 images ${rss[0]?.toFixed(0)}, min ${Math.min(...rss).toFixed(0)}, max ${Math.max(...rss).toFixed(0)}, last ${rss.at(-1)?.toFixed(0)}; heap MiB first ${samples[0]?.heap.toFixed(0)}, last ${samples.at(-1)?.heap.toFixed(0)}`);
    console.log(`  samples (images: RSS MiB): ${samples.filter((_, i) => i % 3 === 0).map((x) => `${x.done}: ${x.rss.toFixed(0)}`).join(', ')}`);
    await extractor.dispose();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
