import tensorflow as tf


def soft_clip(t, limit=1.0):
    return limit * tf.tanh(t / limit)
