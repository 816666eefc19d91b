import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import *
from tensorflow.keras.models import Model

SHIFT = 0.25


def build_model():
    inp = Input((5,))
    h = Dense(5)(inp)
    h = Lambda(lambda t: tf.nn.relu(t - SHIFT))(h)
    h = Dense(4)(h)
    h = Lambda(lambda t: t[:, ::-1], name="reverse")(h)
    return Model(inp, Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.5, 1.5, 10, dtype="float32").reshape(2, 5)
