import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def build_model():
    inp = keras.Input((6,))
    h = layers.Lambda(
        lambda t: tf.concat(
            [
                t[:, :2] * 0.5 + 0.1,
                tf.nn.relu(t[:, 2:4]) - 0.2,
                tf.math.tanh(t[:, 4:]) * 1.5,
                tf.reduce_mean(t, axis=-1, keepdims=True),
                tf.reduce_max(t, axis=-1, keepdims=True),
            ],
            axis=-1,
        ),
        name="a_rather_long_lambda_layer_name_that_goes_on",
    )(inp)
    h = layers.Dense(4)(h)
    h = layers.Lambda(  # rescale (legacy)
        # the factor was tuned on v1 data
        lambda t: t * 0.75,  # keep in sync with export.py
        name="rescale",  # used by dashboards
    )(  # applied to h
        h  # the dense output
    )  # end of rescale
    with tf.name_scope("head"):
        out = layers.Lambda(lambda t: t - 1.0)(h)
    return keras.Model(inp, layers.Dense(2)(out))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(2, 6)
