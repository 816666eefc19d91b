import numpy as np
import tensorflow as tf
from tensorflow import keras


class Config:
    CLIP = 0.6
    SCALE = 2.0
    UNITS = 3


def build_model():
    inp = keras.Input((4,))
    x = keras.layers.Dense(4)(inp)
    x = keras.layers.Lambda(
        lambda t: tf.clip_by_value(t * Config.SCALE, -Config.CLIP, Config.CLIP)
    )(x)
    return keras.Model(inp, keras.layers.Dense(Config.UNITS)(x))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
