import numpy as np
import keras
from keras import layers

squash = lambda t: t / (1.0 + keras.ops.abs(t))  # noqa: E731


def build_model():
    inp = keras.Input((4,))
    h = layers.Lambda(squash)(layers.Dense(4)(inp))
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-3.0, 3.0, 8, dtype="float32").reshape(2, 4)
