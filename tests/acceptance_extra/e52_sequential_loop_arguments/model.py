import numpy as np
import keras
from keras import layers

WIDTHS = (6, 4, 3)


def take(t, width, gain):
    return t[:, :width] * gain


def build_model():
    model = keras.Sequential([keras.Input((8,))], name="stack")
    for i, width in enumerate(WIDTHS):
        gain = 1.0 / (i + 1)
        model.add(layers.Dense(8, name=f"dense_{i}"))
        model.add(
            layers.Lambda(
                take, arguments={"width": width, "gain": gain}, name=f"take_{i}"
            )
        )
    model.add(layers.Dense(2))
    return model


def sample_inputs():
    return np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(3, 8)
