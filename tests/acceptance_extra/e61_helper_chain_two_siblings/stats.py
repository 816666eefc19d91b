import tensorflow as tf


def moments(t):
    return tf.nn.moments(t, axes=[-1], keepdims=True)
