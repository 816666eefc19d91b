import numpy as np
import keras
from keras import layers, ops


def build_model():
    inp = keras.Input((4,))
    h = layers.Dense(4)(inp)
    h = layers.Lambda(lambda t: t * 2.0)(layers.Lambda(lambda t: t - 1.0)(h))
    h = layers.Lambda(lambda ts: ts[0] + ts[1])([h, layers.Dense(4)(h)])
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
