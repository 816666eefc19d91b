import numpy as np
import keras
from keras import layers

from model_layers import Doubler


def build_model():
    inp = keras.Input((4,))
    h = Doubler()(layers.Dense(4)(inp))
    h = layers.Lambda(lambda t: t - 0.25)(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
