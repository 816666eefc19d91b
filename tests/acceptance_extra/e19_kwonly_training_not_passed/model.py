import numpy as np
import keras
from keras import layers


def build_model():
    inp = keras.Input((4,))
    h = layers.Dense(4)(inp)
    h = layers.Lambda(lambda x, *, training=None: x * 0.0 if training else x * 2.0)(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
