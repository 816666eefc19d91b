import numpy as np
import keras
from keras import layers

STRIDE = 2


def build_model():
    inner = keras.Sequential(
        [
            layers.Dense(4),
            layers.Lambda(lambda x: keras.ops.cumsum(x, axis=-1), name="cumsum"),
        ],
        name="inner",
    )
    model = keras.Sequential(name="outer")
    model.add(keras.Input((8,)))
    model.add(layers.Dense(8))
    model.add(layers.Lambda(lambda x: x[:, ::STRIDE]))
    model.add(inner)
    model.add(layers.Lambda(lambda x: x / 4.0))
    model.add(layers.Dense(2))
    return model


def sample_inputs():
    return np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(3, 8)
