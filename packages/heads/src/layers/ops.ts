/** Ops TF.js core lacks, and the matrix product every Dense layer runs. */
import * as tf from '@tensorflow/tfjs-core';

const detach = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor | tf.Tensor[]) => tf.zerosLike(dy as tf.Tensor),
}));

/** The identity whose gradient is zero (PyTorch's `detach`, TensorFlow's `stop_gradient`). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return detach(x) as T;
}

/**
 * The TF.js environment flag a kernel package sets while the wasm backend's products take
 * transposed operands at full speed (@affectzoo/tfjs-blas sets it when its OpenBLAS kernels are
 * on). A flag rather than an import, so heads need not depend on the optional native package.
 */
export const FAST_TRANSPOSED_MATMUL_FLAG = 'AFFECTZOO_FAST_TRANSPOSED_MATMUL';

/**
 * Whether the current backend runs the products TF.js's own MatMul gradient asks for (x^T dy with
 * `transposeA`, dy W^T with `transposeB`) at full speed: every backend but plain wasm.
 */
export function fastTransposedMatMul(): boolean {
  if (tf.getBackend() !== 'wasm') return true;
  try {
    return tf.env().getBool(FAST_TRANSPOSED_MATMUL_FLAG);
  } catch {
    return false; // never registered: nothing replaced wasm's own kernels
  }
}

/**
 * x W with a hand-written gradient that transposes explicitly: plain TF.js wasm runs the
 * transposed products of the built-in gradient at a fraction of the speed of the same products on
 * explicitly transposed operands (measured 2x on the weight gradient of the ANFL node blocks).
 * The price: a custom gradient always computes both input gradients, even for an input (the
 * features) that needs none.
 */
const matMulExplicitTranspose = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.fused.matMul({ a: x, b: w }),
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [sx, sw] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.fused.matMul({ a: g, b: tf.transpose(sw) }), tf.fused.matMul({ a: tf.transpose(sx), b: g })];
    },
  };
});

/**
 * act(x W + bias) where transposed products are fast. Inference: one fused op (the product, bias
 * and relu in one kernel). Training: plain ops, because under a gradient tape TF.js's fused op has
 * a custom gradient that computes every input's gradient, while MatMul's own gradient computes
 * only those needed, which skips a whole product for a head's first layer (the features').
 */
export function denseProductFused(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor | null, relu: boolean, training: boolean): tf.Tensor2D {
  if (!training) return tf.fused.matMul({ a: x, b: w, bias: bias ?? undefined, activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;
  const product = tf.matMul(x, w);
  const z = bias ? tf.add(product, bias) : product;
  return (relu ? tf.relu(z) : z) as tf.Tensor2D;
}

/** act(x W + bias) with the explicitly transposed gradient products (for plain wasm). */
export function denseProductExplicit(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor | null, relu: boolean): tf.Tensor2D {
  const product = matMulExplicitTranspose(x, w) as tf.Tensor2D;
  const z = (bias ? tf.add(product, bias) : product) as tf.Tensor2D;
  return relu ? tf.relu(z) : z;
}

/** act(x W + bias), `act` linear or relu, by the fastest path the current backend has. */
export function denseProduct(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor | null, relu: boolean, training: boolean): tf.Tensor2D {
  return fastTransposedMatMul() ? denseProductFused(x, w, bias, relu, training) : denseProductExplicit(x, w, bias, relu);
}
