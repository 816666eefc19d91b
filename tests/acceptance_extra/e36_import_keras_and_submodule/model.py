import numpy as np
import keras
import keras.ops
from keras import layers


def build_model():
    inp = keras.Input((6,))
    h = layers.Dense(6)(inp)
    h = layers.Lambda(lambda t: keras.ops.tanh(t) * 2.0)(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(2, 6)
