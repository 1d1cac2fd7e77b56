import { createRequire } from 'node:module';
import { defineConfig } from 'tsup';
import { packageBuild } from '../../tsup.base.js';
import type { Plugin } from 'esbuild';

const require = createRequire(import.meta.url);

/**
 * Bundle tfjs-core's gradient registrations (ES module source in a package Node reads as
 * CommonJS, so it cannot stay an external import). Resolving the files ourselves keeps tsup's
 * dependency externalisation from turning the import into a bare `@tensorflow/tfjs-core`; the
 * bundled copy registers into TF.js's global gradient registry, shared with the external tfjs-core.
 */
const bundleGradients: Plugin = {
  name: 'bundle-tfjs-gradients',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-core\/dist\/register_all_gradients/ }, (args) => ({
      path: require.resolve(args.path.replace(/\.js$/, '') + '.js'),
    }));
  },
};

export default defineConfig({
  ...packageBuild,
  noExternal: [/register_all_gradients/],
  esbuildPlugins: [bundleGradients],
});
