/**
 * TF.js registers the gradients of its kernels only in the `@tensorflow/tfjs` union package;
 * `tfjs-core`'s Node entry leaves them out, so training on bare tfjs-core fails with "gradient
 * function not found". This side-effect import registers them. The file is ES module source in a
 * package Node treats as CommonJS, so tsup bundles it into our dist (see tsup.config.ts) and
 * vitest inlines it; the registry it writes to is TF.js's global one, shared with the
 * `tfjs-core` every backend uses.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
