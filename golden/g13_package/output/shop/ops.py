import tensorflow as tf

SCALE = 0.75


def center(x):
    return x - tf.reduce_mean(x, axis=-1, keepdims=True)
