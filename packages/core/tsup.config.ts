import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // The JSON Schema of the config, for editors, generated from the zod schema just built.
  onSuccess: 'node scripts/write-schema.mjs',
});
