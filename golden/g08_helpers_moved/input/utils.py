import tensorflow as tf


def gelu(x):
    return 0.5 * x * (1.0 + tf.tanh(0.79788456 * (x + 0.044715 * x**3)))
