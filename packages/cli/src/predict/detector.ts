/**
 * Which face detector `predict` uses. `auto` takes YuNet (the better landmarks and small faces)
 * when its model is already in the model cache, else BlazeFace, whose model ships in an npm
 * package, so a fresh install predicts with no download; `--detector yunet` fetches YuNet once.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaultCacheDir, type FaceDetector, type Registry } from '@affectzoo/core';
import { YUNET_MODEL } from '@affectzoo/faces';

export type DetectorChoice = 'auto' | 'yunet' | 'blazeface';

export function resolveDetector(choice: DetectorChoice): 'yunet' | 'blazeface' {
  if (choice !== 'auto') return choice;
  return existsSync(join(defaultCacheDir(), YUNET_MODEL.file)) ? 'yunet' : 'blazeface';
}

export async function loadDetector(choice: DetectorChoice, registry: Registry): Promise<{ name: string; detector: FaceDetector }> {
  const name = resolveDetector(choice);
  const detector = await (await registry.create('detector', { name }, 'detector')).load();
  return { name, detector };
}
