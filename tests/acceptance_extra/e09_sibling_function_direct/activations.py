"""Project activations (no Keras layers here)."""

import tensorflow as tf

SOFTSIGN_SCALE = 1.7


def hard_swish(x):
    return x * tf.nn.relu6(x + 3.0) / 6.0


def scaled_softsign(x):
    return SOFTSIGN_SCALE * tf.nn.softsign(x)
