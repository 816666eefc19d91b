import tensorflow as tf

from stats import moments

EPS = 1e-3


def standardize(t):
    mean, var = moments(t)
    return (t - mean) / tf.sqrt(var + EPS)


def clip(t, limit):
    return tf.clip_by_value(t, -limit, limit)
