import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def build_model():
    q_in = keras.Input((3, 4), name="q")
    k_in = keras.Input((5, 4), name="k")
    queries = layers.Dense(4)(q_in)
    keys = layers.Dense(4)(k_in)

    def broadcast_first(q):
        # repeat the first query once per key (static key count)
        first = q[:, :1, :]
        return tf.tile(first, [1, keys.shape[1], 1]) / float(keys.shape[-1]) ** 0.5

    rep = layers.Lambda(broadcast_first, name="broadcast")(queries)
    both = layers.Concatenate()([rep, keys])
    return keras.Model([q_in, k_in], layers.Dense(2)(layers.Flatten()(both)))


def sample_inputs():
    q = np.sin(np.arange(2 * 3 * 4, dtype="float32")).reshape(2, 3, 4)
    k = np.cos(np.arange(2 * 5 * 4, dtype="float32")).reshape(2, 5, 4)
    return [q, k]
