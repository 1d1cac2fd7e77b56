import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';

export default defineConfig({
  ...packageBuild,
  // The JSON Schema of the config, for editors, generated from the zod schema just built.
  onSuccess: 'node scripts/write-schema.mjs',
});
