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
