import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

NUM_PARTS = 3


def build_model():
    inp = keras.Input((2, 6))
    h = layers.Dense(6)(inp)
    first, second = layers.Lambda(lambda t: tf.unstack(t, axis=1), name="rows")(h)
    a, b, c = layers.Lambda(lambda t: tf.split(t, NUM_PARTS, axis=-1))(first)
    mixed = layers.Add()([a, b, c])
    out = layers.Concatenate()([mixed, second])
    return keras.Model(inp, layers.Dense(2)(out))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(2, 2, 6)
