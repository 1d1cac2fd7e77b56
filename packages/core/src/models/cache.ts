/**
 * The model-file cache: a folder of downloaded model files, each checked against its sha256 before
 * use. `AFFECTZOO_CACHE` points it at a local folder (offline use, tests); a file that is not
 * there is downloaded from its publisher's URL when one is known. A file whose checksum differs
 * is refused, never used: a wrong or truncated model gives plausible-looking garbage features.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AffectzooError } from '../errors.js';
import { writeFileAtomic } from '../atomic.js';

/** A model file as a registry entry knows it. */
export interface ModelFileSpec {
  /** File name inside the cache folder. */
  file: string;
  /** Publisher's URL; without one the file must already be in the cache (or be given as a path). */
  url?: string;
  /**
   * Expected sha256 (hex). Without one, a downloaded file's sha256 is recorded beside it
   * (`<file>.sha256`) and checked on every later use (trust on first download).
   */
  sha256?: string;
}

export interface CacheOptions {
  /** Cache folder; default `defaultCacheDir()`. */
  cacheDir?: string;
  /** Called while downloading, with bytes received and the total when the server says it. */
  onProgress?: (received: number, total: number | undefined) => void;
}

/** A model file that is missing, unreachable or fails its checksum. */
export class ModelFileError extends AffectzooError {
  override readonly name = 'ModelFileError';
}

/** `AFFECTZOO_CACHE`, else `$XDG_CACHE_HOME/affectzoo`, else `~/.cache/affectzoo`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AFFECTZOO_CACHE) return resolve(env.AFFECTZOO_CACHE);
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'affectzoo');
}

/** The sha256 of a file, streamed (model files run to hundreds of MB). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Refuse a file whose sha256 is not the expected one. */
export async function verifySha256(file: string, expected: string | undefined): Promise<void> {
  if (!expected) return;
  const got = await sha256File(file);
  if (got !== expected.toLowerCase()) {
    throw new ModelFileError(`${file}: sha256 ${got} does not match the expected ${expected}; refusing to use it (delete it to download it again, or fix the checksum)`);
  }
}

/** Download `url` into `dest` through a temporary file, so an interrupted download never sits under the final name. */
async function download(url: string, dest: string, sha256: string | undefined, onProgress?: CacheOptions['onProgress']): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ModelFileError(`cannot download ${url} (${(e as Error).message}); offline? put ${basename(dest)} in the folder AFFECTZOO_CACHE names`);
  }
  if (!response.ok || !response.body) throw new ModelFileError(`cannot download ${url}: HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length')) || undefined;
  const tmp = `${dest}.download-${process.pid}`;
  let received = 0;
  const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => {
    received += chunk.length;
    onProgress?.(received, total);
  });
  try {
    await pipeline(body, createWriteStream(tmp));
    await verifySha256(tmp, sha256);
    await rename(tmp, dest);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * The local path of a model file: the cached copy (checked), else a fresh download (checked).
 * `spec.file` may also be an absolute path, used as is (still checked).
 */
export async function resolveModelFile(spec: ModelFileSpec, options: CacheOptions = {}): Promise<string> {
  if (isAbsolute(spec.file)) {
    if (!(await exists(spec.file))) throw new ModelFileError(`${spec.file}: model file not found`);
    await verifySha256(spec.file, spec.sha256);
    return spec.file;
  }
  const dir = options.cacheDir ?? defaultCacheDir();
  const path = join(dir, spec.file);
  const recorded = `${path}.sha256`;
  if (await exists(path)) {
    const expected = spec.sha256 ?? (await readFile(recorded, 'utf8').then((t) => t.trim(), () => undefined));
    await verifySha256(path, expected);
    return path;
  }
  if (!spec.url) {
    throw new ModelFileError(`${spec.file} is not in the model cache ${dir} and has no download URL; put it there (or set AFFECTZOO_CACHE to the folder that holds it)`);
  }
  await mkdir(dir, { recursive: true });
  await download(spec.url, path, spec.sha256, options.onProgress);
  if (!spec.sha256) await writeFileAtomic(recorded, `${await sha256File(path)}\n`);
  return path;
}

/**
 * A model option as users write it: a local path, or an http(s) URL (downloaded into the cache
 * under its last path segment). Relative paths resolve against `base`.
 */
export function modelFileFromOption(model: string, sha256: string | undefined, base = process.cwd()): ModelFileSpec {
  if (/^https?:\/\//i.test(model)) {
    const name = basename(new URL(model).pathname) || 'model';
    return { file: name, url: model, ...(sha256 ? { sha256 } : {}) };
  }
  return { file: resolve(base, model), ...(sha256 ? { sha256 } : {}) };
}
