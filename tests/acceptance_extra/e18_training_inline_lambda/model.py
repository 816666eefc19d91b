import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def noisy_floor(x, training=False, floor=0.1):
    if training:
        return tf.maximum(x, floor) * 0.5
    return tf.maximum(x, floor)


def build_model():
    inp = keras.Input((6,))
    h = layers.Dense(6)(inp)
    h = layers.Lambda(lambda x, training=None: x * 0.25 if training else x + 1.0)(h)
    h = layers.Lambda(noisy_floor, name="floor")(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(2, 6)
