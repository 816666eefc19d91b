import numpy as np
import keras
from keras import layers, ops


def build_model():
    wav = keras.Input((8,))
    x = layers.Lambda(lambda t: ops.sign(t) * ops.log1p(ops.abs(t)), name="prep")(wav)
    x = layers.Lambda(lambda t: t / PIXEL_SCALE)(x)
    return keras.Model(wav, layers.Dense(2)(x), name="audio")


PIXEL_SCALE = 3.0


def sample_inputs():
    return np.linspace(-20.0, 20.0, 16, dtype="float32").reshape(2, 8)
