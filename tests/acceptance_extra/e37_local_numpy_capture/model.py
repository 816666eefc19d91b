import numpy as np
import keras
from keras import layers


def build_model(width=5):
    inp = keras.Input((width,))
    w = np.linspace(0.5, 1.5, width).astype("float32")
    norm = float(np.sum(w))
    h = layers.Lambda(lambda t: t * w / norm)(inp)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 10, dtype="float32").reshape(2, 5)
