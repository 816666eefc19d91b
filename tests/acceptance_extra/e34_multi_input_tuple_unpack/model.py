import numpy as np
import keras
from keras import layers, ops


def blend3(inputs):
    x, y, w = inputs
    w = ops.sigmoid(w)
    return x * w + y * (1.0 - w)


def build_model():
    a = keras.Input((4,), name="a")
    b = keras.Input((4,), name="b")
    w = layers.Dense(4)(a)
    mixed = layers.Lambda(blend3, name="blend")((a, b, w))
    out = layers.Lambda(lambda ts: ts[0] + 2.0 * ts[-1])([mixed, w])
    return keras.Model([a, b], layers.Dense(2)(out))


def sample_inputs():
    a = np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
    return [a, a[:, ::-1].copy()]
