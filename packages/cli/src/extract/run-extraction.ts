/**
 * Feature extraction over an annotation file: batches of images through a loaded backbone, each
 * finished batch saved at once (so an interrupted run resumes where it stopped), then assembled
 * into the feature folder (`features.npy`, `features_aug.npy`, `index.csv`, `meta.json`; see
 * @affectzoo/core's feature-set). Decoding of the next batches overlaps inference of the current
 * one, through a bounded queue so memory stays flat on any number of images.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import {
  AUGMENTED_FILE, FEATURES_FILE, INDEX_FILE, META_FILE, decodeImage, formatFeatureIndex, imagePath, InputError,
  readAnnotations, writeFileAtomic, writeNpyStreaming,
  type BadImagePolicy, type FeatureExtractor, type FeatureMeta, type RgbImage,
} from '@affectzoo/core';
import { decodeAugmented, augmentSeed } from './augment.js';
import { readChunk, writeChunk } from './chunks.js';

export interface ExtractionJob {
  /** Annotation file whose images are extracted. */
  annotations: string;
  out: string;
  extractor: FeatureExtractor;
  backbone: { name: string; fingerprint: string };
  backend: string;
  batchSize: number;
  augmentCopies: number;
  seed: number;
  onBadImage: BadImagePolicy;
  /** Called before the first batch and after every batch, with images done (this run and before it) and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Called once with the number of images a resumed run found already done. */
  onResume?: (done: number) => void;
}

export interface ExtractionResult {
  rows: number;
  featureSize: number;
  skipped: FeatureMeta['skipped'];
  /** Batches computed in this run (0 when everything was already done). */
  batchesRun: number;
  batchesResumed: number;
}

const PARTIAL = '.partial';

interface Task {
  pass: number;
  batch: number;
  rows: number[];
  file: string;
}

interface Decoded {
  task: Task;
  images: RgbImage[];
  rows: number[];
  skipped: { image: string; reason: string }[];
}

/** What must match for a resume to reuse finished batches. */
async function runFingerprint(job: ExtractionJob): Promise<string> {
  const hash = createHash('sha256');
  hash.update(await readFile(job.annotations));
  hash.update(JSON.stringify({
    backbone: job.backbone.fingerprint, backend: job.backend, batchSize: job.batchSize,
    augmentCopies: job.augmentCopies, seed: job.seed, onBadImage: job.onBadImage,
  }));
  return hash.digest('hex');
}

/** Run the extraction (or resume it); returns what it wrote. */
export async function runExtraction(job: ExtractionJob): Promise<ExtractionResult> {
  const set = await readAnnotations(job.annotations);
  const n = set.rows.length;
  if (n === 0) throw new InputError(job.annotations, undefined, 'no images to extract');
  const fingerprint = await runFingerprint(job);
  const partial = join(job.out, PARTIAL);
  await mkdir(job.out, { recursive: true });

  const tasks: Task[] = [];
  for (let pass = 0; pass <= job.augmentCopies; pass++) {
    for (let batch = 0, start = 0; start < n; batch++, start += job.batchSize) {
      const rows = Array.from({ length: Math.min(job.batchSize, n - start) }, (_, i) => start + i);
      tasks.push({ pass, batch, rows, file: join(partial, `p${pass}-b${String(batch).padStart(6, '0')}.bin`) });
    }
  }

  // Finished already, with these settings: nothing to do.
  const manifest = join(partial, 'run.json');
  const finished = await readFile(join(job.out, META_FILE), 'utf8')
    .then((t) => JSON.parse(t) as FeatureMeta & { runFingerprint?: string }, () => undefined);
  if (!existsSync(manifest) && finished?.runFingerprint === fingerprint && existsSync(join(job.out, FEATURES_FILE))) {
    job.onResume?.(n * (job.augmentCopies + 1));
    return { rows: finished.rows, featureSize: finished.featureSize, skipped: finished.skipped, batchesRun: 0, batchesResumed: tasks.length };
  }

  // A partial run of different settings is discarded, never mixed in.
  const previous = await readFile(manifest, 'utf8').then((t) => (JSON.parse(t) as { fingerprint: string }).fingerprint, () => undefined);
  if (previous !== fingerprint) {
    await rm(partial, { recursive: true, force: true });
    await mkdir(partial, { recursive: true });
    await writeFileAtomic(manifest, JSON.stringify({ fingerprint }));
  }

  const done = new Set(await readdir(partial));
  const isDone = (t: Task) => done.has(basename(t.file));
  const todo = tasks.filter((t) => !isDone(t));
  const total = n * (job.augmentCopies + 1);
  let imagesDone = tasks.filter(isDone).reduce((s, t) => s + t.rows.length, 0);
  if (imagesDone > 0) job.onResume?.(imagesDone);

  const { width, height } = job.extractor.input;
  const decode = async (task: Task): Promise<Decoded> => {
    const results = await Promise.all(task.rows.map(async (row) => {
      const file = imagePath(set, set.rows[row]!);
      try {
        const image = task.pass === 0
          ? await decodeImage(file, { width, height })
          : await decodeAugmented(file, width, height, augmentSeed(job.seed, task.pass, row));
        return { row, image };
      } catch (e) {
        if (job.onBadImage !== 'skip' || !(e instanceof InputError)) throw e;
        return { row, error: { image: set.rows[row]!.image, reason: e.reason } };
      }
    }));
    const ok = results.filter((r): r is { row: number; image: RgbImage } => 'image' in r);
    return {
      task,
      images: ok.map((r) => r.image),
      rows: ok.map((r) => r.row),
      skipped: results.flatMap((r) => ('error' in r && r.error ? [r.error] : [])),
    };
  };

  // Bounded prefetch: about 64 images (at least 2 batches) decode while one batch runs.
  const depth = Math.max(2, Math.ceil(64 / job.batchSize));
  const queue: Promise<Decoded>[] = [];
  let next = 0;
  const refill = () => {
    while (queue.length < depth && next < todo.length) {
      const p = decode(todo[next++]!);
      p.catch(() => undefined); // rejection is observed when the task is awaited, in order
      queue.push(p);
    }
  };
  refill();
  job.onProgress?.(imagesDone, total);
  let featureSize = job.extractor.featureSize;
  // A batch's file is written while the next batch runs: the write goes through libuv's thread
  // pool, behind the queued image decodes, and awaiting it at once would idle the backbone.
  let writing: Promise<void> = Promise.resolve();
  try {
    while (queue.length > 0) {
      const d = await queue.shift()!;
      refill();
      const features = d.images.length > 0 ? await job.extractor.extract(d.images) : new Float32Array(0);
      featureSize = job.extractor.featureSize;
      await writing;
      writing = writeChunk(d.task.file, { rows: d.rows, skipped: d.skipped, featureSize, features }).then(() => {
        imagesDone += d.task.rows.length;
        job.onProgress?.(imagesDone, total);
      });
    }
    await writing;
  } finally {
    await writing.catch(() => undefined); // never leave a write running behind an error
  }

  const result = await assemble(job, set.rows, tasks, featureSize, fingerprint);
  await rm(partial, { recursive: true, force: true });
  return { ...result, batchesRun: todo.length, batchesResumed: tasks.length - todo.length };
}

/** Join the finished batches into the final files, each written through a temporary file. */
async function assemble(
  job: ExtractionJob, rows: Awaited<ReturnType<typeof readAnnotations>>['rows'], tasks: Task[], featureSize: number, fingerprint: string,
): Promise<Omit<ExtractionResult, 'batchesRun' | 'batchesResumed'>> {
  const passTasks = (pass: number) => tasks.filter((t) => t.pass === pass);
  const kept: number[] = [];
  const keptByBatch: number[][] = [];
  const skipped: FeatureMeta['skipped'] = [];
  for (const t of passTasks(0)) {
    const c = await readChunk(t.file);
    kept.push(...c.rows);
    keptByBatch[t.batch] = c.rows;
    skipped.push(...c.skipped);
  }
  async function* passFeatures(pass: number): AsyncGenerator<Float32Array> {
    for (const t of passTasks(pass)) {
      const c = await readChunk(t.file);
      if (pass > 0 && c.rows.join() !== keptByBatch[t.batch]!.join()) {
        throw new Error(`augmented pass ${pass} kept different images than the plain pass (an image changed during extraction?)`);
      }
      yield c.features;
    }
  }
  await writeNpyStreaming(join(job.out, FEATURES_FILE), [kept.length, featureSize], passFeatures(0));
  if (job.augmentCopies > 0) {
    async function* all(): AsyncGenerator<Float32Array> {
      for (let p = 1; p <= job.augmentCopies; p++) yield* passFeatures(p);
    }
    await writeNpyStreaming(join(job.out, AUGMENTED_FILE), [job.augmentCopies, kept.length, featureSize], all());
  } else if (existsSync(join(job.out, AUGMENTED_FILE))) {
    await rm(join(job.out, AUGMENTED_FILE));
  }
  await writeFileAtomic(join(job.out, INDEX_FILE), formatFeatureIndex(kept.map((r) => rows[r]!)));
  const meta: FeatureMeta & { runFingerprint: string } = {
    version: 1,
    annotations: resolve(job.annotations),
    backbone: job.backbone.name,
    fingerprint: job.backbone.fingerprint,
    backend: job.backend,
    featureSize,
    rows: kept.length,
    augmentCopies: job.augmentCopies,
    seed: job.seed,
    skipped,
    runFingerprint: fingerprint,
  };
  await writeFileAtomic(join(job.out, META_FILE), JSON.stringify(meta, null, 2) + '\n');
  return { rows: kept.length, featureSize, skipped };
}
