import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def build_model():
    a = keras.Input((3,), name="a")
    b = keras.Input((6,), name="b")
    h = layers.Lambda(
        lambda t: tf.concat([t, -t], axis=-1), output_shape=lambda s: (s[0], s[1] * 2)
    )(a)
    prod = layers.Lambda(
        lambda ts: ts[0] * ts[1], output_shape=lambda shapes: shapes[0]
    )([h, b])
    return keras.Model([a, b], layers.Dense(2)(prod))


def sample_inputs():
    a = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]], dtype="float32")
    b = np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(2, 6)
    return [a, b]
