// Where the shared real data and models are (../shared beside the repository); tests skip without them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SHARED = fileURLToPath(new URL('../../../../shared/', import.meta.url));
export const MODELS = `${SHARED}models/`;
export const TINY = `${SHARED}data/tiny/annotations.txt`;
export const FACERES_ONNX_FILE = `${MODELS}faceres_mobilenetv1.onnx`;
export const present = existsSync(FACERES_ONNX_FILE) && existsSync(TINY);
if (!present) console.warn(`skipping tests on real models and images: ${SHARED} is absent`);
