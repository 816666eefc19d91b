import numpy as np
import keras
from keras import layers

from ... import constants
from ...common import ops as cops
from ...common.ops import soft_clip


def local_clip(t):
    return cops.soft_clip(t, limit=constants.LIMIT)


def build_model():
    inp = keras.Input((4,))
    h = layers.Lambda(lambda t: soft_clip(t) * constants.SCALE)(inp)
    h = layers.Dense(4)(h)
    h = layers.Lambda(cops.soft_clip, name="clip")(h)
    h = layers.Lambda(local_clip)(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-3.0, 3.0, 8, dtype="float32").reshape(2, 4)
