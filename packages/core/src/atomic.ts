import { rename, rm, writeFile } from 'node:fs/promises';

/**
 * Write a file atomically: a temporary file in the same folder, then a rename, so that a killed
 * process never leaves a half-written file under the final name.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
