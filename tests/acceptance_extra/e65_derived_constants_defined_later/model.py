import numpy as np
import tensorflow as tf
import keras
from keras import layers

BASE = 3
SIZE = BASE * 2
SHAPE = (BASE, 2)
GAIN = 0.5 + BASE / 10
MIX = np.eye(2, dtype="float32") * GAIN + np.float32(0.1)
EQ = "bij,jk->bik"


def build_model():
    inp = keras.Input((SIZE,))
    h = layers.Lambda(lambda t: tf.reshape(t, (-1,) + SHAPE), name="to_grid")(inp)
    h = layers.Lambda(lambda t: tf.einsum(EQ, t, MIX))(h)
    h = layers.Flatten()(h)
    h = layers.Lambda(lambda t: t * RATIO)(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 2 * SIZE, dtype="float32").reshape(2, SIZE)


RATIO = SIZE / 12
