import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


class Acts:
    GAIN = 1.7

    @staticmethod
    def swish(t):
        return t * tf.sigmoid(t)

    @staticmethod
    def scaled_tanh(t, gain):
        return gain * tf.tanh(t)


def build_model():
    inp = keras.Input((4,))
    h = layers.Lambda(Acts.swish)(inp)
    h = layers.Dense(4)(h)
    h = layers.Lambda(lambda t: Acts.scaled_tanh(t, Acts.GAIN))(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
