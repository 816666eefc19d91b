import numpy as np
import tensorflow as tf
import keras
from keras import layers

ORDER = 3
WEIGHTS = (0.5, 0.25, 0.125)


def build_model():
    inp = keras.Input((6,))
    poly = layers.Lambda(
        lambda t: sum(t**p / (p + 1) for p in range(1, ORDER + 1)), name="poly"
    )(inp)
    mix = layers.Lambda(
        lambda t: tf.add_n([t[:, i : i + 2] * w for i, w in enumerate(WEIGHTS)])
    )(poly)
    grid = layers.Lambda(
        lambda t: tf.stack(
            [
                tf.stack([t[:, i] * (j + 1) for j in range(2)], axis=-1)
                for i in range(2)
            ],
            axis=1,
        )
    )(mix)
    out = layers.Dense(2)(layers.Flatten()(grid))
    return keras.Model(inp, out)


def sample_inputs():
    return np.linspace(-1.0, 1.0, 18, dtype="float32").reshape(3, 6)
