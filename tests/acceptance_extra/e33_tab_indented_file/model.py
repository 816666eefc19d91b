import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def build_model(limit=1.5):
    inp = keras.Input((4,))

    def soft_limit(t):
        if limit > 1.0:
            y = limit * tf.tanh(t / limit)
        else:
            y = tf.clip_by_value(t, -limit, limit)
        return y

    h = layers.Lambda(soft_limit)(layers.Dense(4)(inp))
    h = layers.Lambda(lambda t: (t - tf.reduce_mean(t, axis=-1, keepdims=True)))(h)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-3.0, 3.0, 8, dtype="float32").reshape(2, 4)
