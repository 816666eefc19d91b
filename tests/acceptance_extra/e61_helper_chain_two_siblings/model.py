import numpy as np
import keras
from keras import layers

import prep as P
from prep import standardize

GAIN = 1.5
LIMIT = 0.8


def scaled(t):
    return standardize(t) * GAIN


def build_model():
    inp = keras.Input((5,))
    h = layers.Lambda(scaled)(inp)
    h = layers.Dense(5)(h)
    h = layers.Lambda(lambda t: P.clip(t, LIMIT))(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-2.0, 3.0, 15, dtype="float32").reshape(3, 5)
