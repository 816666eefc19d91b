import numpy as np
import tensorflow as tf


def build_model():
    inp = tf.keras.Input((6,))
    h = tf.keras.layers.Dense(6)(inp)
    h = tf.keras.layers.Lambda(lambda t: tf.math.square(t) - 1.0)(h)
    h = tf.keras.layers.Lambda(lambda t: tf.clip_by_value(t, -2.0, 2.0), name="clip")(h)
    return tf.keras.Model(inp, tf.keras.layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-2.0, 2.0, 12, dtype="float32").reshape(2, 6)
