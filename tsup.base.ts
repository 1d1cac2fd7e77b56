import type { Options } from 'tsup';

/**
 * What every package's build shares: ESM for Node 20 with type declarations and source maps,
 * from `src/index.ts`. Each package's tsup.config.ts spreads it and adds what is its own.
 */
export const packageBuild: Options = {
  entry: ['src/index.ts'],
  format: ['esm'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
};
