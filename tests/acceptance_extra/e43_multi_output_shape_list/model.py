import numpy as np
import keras
from keras import layers


def build_model():
    inp = keras.Input((5,))
    h = layers.Dense(5)(inp)
    left, right = layers.Lambda(
        lambda t: [t[:, :2], t[:, 2:]], output_shape=[(2,), (3,)]
    )(h)
    return keras.Model(inp, [layers.Dense(1)(left), layers.Dense(2)(right)])


def sample_inputs():
    return np.linspace(-1.0, 1.0, 10, dtype="float32").reshape(2, 5)
