import numpy as np
import keras
from keras import layers

PREFIX = "head"


def build_model():
    common = {"trainable": False, "dtype": "float32"}
    inp = keras.Input((4,))
    h = layers.Lambda(lambda t: t * 0.5, **common)(inp)
    h = layers.Dense(4)(h)
    h = layers.Lambda(lambda t: t + 1.0, name=PREFIX + "_shift", **common)(h)
    model = keras.Model(inp, layers.Dense(2)(h))
    assert model.get_layer("head_shift") is not None
    return model


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
