import numpy as np
import keras
from keras import layers

SCALE = 0.5
OFFSET = -0.125
UNITS = int(8 * SCALE) + 2


def shrink(t):
    return t * SCALE + OFFSET


def describe():
    return f"units={UNITS} scale={SCALE}"


def build_model():
    inp = keras.Input((4,))
    h = layers.Dense(UNITS)(inp)
    h = layers.Lambda(shrink)(h)
    return keras.Model(
        inp, layers.Dense(2)(h), name=describe().replace(" ", "_").replace("=", "")
    )


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
