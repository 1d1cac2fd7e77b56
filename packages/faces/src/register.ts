/**
 * The detector factories. `yunet`: its model comes from the publisher (libfacedetection.train,
 * Apache-2.0) through the checked model cache; `model` points at a local file or another URL.
 * `blazeface`: its model is a file of an installed npm package, so nothing is downloaded.
 */
import { modelFileFromOption, resolveModelFile, z, type Factory, type ModelFileSpec } from '@affectzoo/core';
import { YuNet, YUNET_DEFAULTS } from './yunet.js';
import { BlazeFace, BLAZEFACE_DEFAULTS, blazefaceModelFile } from './blazeface.js';

/** The published YuNet model, pinned to a commit, with its checksum. */
export const YUNET_MODEL: ModelFileSpec = {
  file: 'yunet_n_dynamic.onnx',
  url: 'https://github.com/ShiqiYu/libfacedetection.train/raw/02246e79b1e976c83d1e135a85e0628120c93769/onnx/yunet_n_dynamic.onnx',
  sha256: '104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12',
};

const options = z.strictObject({
  model: z.string().optional().describe('Local path or URL of the ONNX model; default: the published yunet_n_dynamic.onnx via the model cache.'),
  sha256: z.string().regex(/^[0-9a-f]{64}$/i).optional().describe('Expected sha256 of `model`.'),
  scoreThreshold: z.number().min(0).max(1).default(YUNET_DEFAULTS.scoreThreshold).describe('Least detection score.'),
  nmsThreshold: z.number().min(0).max(1).default(YUNET_DEFAULTS.nmsThreshold).describe('IoU above which overlapping faces are merged.'),
  topK: z.number().int().positive().default(YUNET_DEFAULTS.topK).describe('Most faces per image.'),
  maxSide: z.number().int().nonnegative().default(YUNET_DEFAULTS.maxSide).describe('Longest side images are scaled to for detection (0: full size).'),
  threads: z.number().int().nonnegative().default(0).describe('ONNX Runtime threads (0: its default).'),
});

export const yunetDetector: Factory<'detector', z.output<typeof options>> = {
  kind: 'detector',
  name: 'yunet',
  description: 'YuNet face detector (ONNX Runtime): boxes and 5 landmarks',
  options,
  create: (o) => ({
    name: 'yunet',
    load: async () => {
      const spec = o.model ? modelFileFromOption(o.model, o.sha256) : YUNET_MODEL;
      return YuNet.load(await resolveModelFile(spec), o);
    },
  }),
};

const blazefaceOptions = z.strictObject({
  model: z.string().optional().describe('Local path of a TF.js BlazeFace model.json; default: blazeface.json inside the installed @vladmandic/human.'),
  scoreThreshold: z.number().min(0).max(1).default(BLAZEFACE_DEFAULTS.scoreThreshold).describe('Least detection score.'),
  nmsThreshold: z.number().min(0).max(1).default(BLAZEFACE_DEFAULTS.nmsThreshold).describe('IoU above which overlapping faces are merged.'),
  topK: z.number().int().positive().default(BLAZEFACE_DEFAULTS.topK).describe('Most faces per image.'),
});

/**
 * The `blazeface` detector factory: its model ships inside the npm package @vladmandic/human, so
 * it works offline with nothing to download; it runs on the active TF.js backend (wasm if none).
 */
export const blazefaceDetector: Factory<'detector', z.output<typeof blazefaceOptions>> = {
  kind: 'detector',
  name: 'blazeface',
  description: 'BlazeFace face detector (TF.js, model from @vladmandic/human, no download): boxes and 6 landmarks',
  options: blazefaceOptions,
  create: (o) => ({
    name: 'blazeface',
    load: async () => BlazeFace.load(o.model ?? blazefaceModelFile(), { scoreThreshold: o.scoreThreshold, nmsThreshold: o.nmsThreshold, topK: o.topK }),
  }),
};
