import numpy as np
import keras
from keras import layers


def make_encoder(width):
    inp = keras.Input((width,))
    out = layers.Dense(
        width, kernel_initializer="identity", bias_initializer="ones", name="enc_dense"
    )(inp)
    return keras.Model(inp, out, name="encoder")


def build_model():
    inp = keras.Input((4,))
    encoder = make_encoder(4)
    h = layers.Dense(4)(inp)
    h = layers.Lambda(lambda t: encoder(t) * 0.5)(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
