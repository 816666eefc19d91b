import os

import numpy as np
import tensorflow as tf
from tensorflow.keras import Model, layers

LOG = open(os.devnull, "w")


def _logged(stream, x):
    stream.write("tracing\n")
    return x * 1.0


def build_model():
    inp = layers.Input((3,))
    h = layers.Dense(3)(inp)
    h = layers.Lambda(lambda t: _logged(LOG, t))(h)
    return Model(inp, layers.Dense(1)(h))


def sample_inputs():
    return np.eye(3, dtype="float32")
