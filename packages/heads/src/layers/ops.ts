/** Ops TF.js core lacks. */
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
 * x W with a hand-written gradient that transposes explicitly: TF.js wasm runs the products its
 * MatMul gradient asks for (x^T dy with `transposeA`, dy W^T with `transposeB`) at a fraction of
 * the speed of the same products on explicitly transposed operands (measured 2x on the weight
 * gradient of the ANFL node blocks), and those products dominate head training.
 */
const matMulFast = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
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

export function matMul(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return matMulFast(x, w) as tf.Tensor2D;
}
