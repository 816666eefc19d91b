import numpy as np
import keras
from keras import layers

ACT = layers.Lambda(lambda t: keras.ops.relu(t) - 0.1, name="act")


def build_model():
    inp = keras.Input((4,))
    h = ACT(layers.Dense(4)(inp))
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-2.0, 2.0, 8, dtype="float32").reshape(2, 4)
