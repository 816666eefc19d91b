import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras import layers


def build_model():
    a = keras.Input((8,), name="a")
    b = keras.Input((3,), name="b")
    ha = layers.Dense(6)(a)
    # crop ha to b's width
    crop = layers.Lambda(lambda t: t[:, : b.shape[-1]])(ha)
    ref = layers.Dense(4)(b)
    scaled = layers.Lambda(lambda t: t / float(K.int_shape(ref)[-1]))(crop)
    bias = layers.Dense(2)(a)
    x = layers.Dense(3)(b)
    diff = layers.Lambda(lambda ts: (ts[0] - ts[1])[:, : bias.shape[1]])([scaled, x])
    return keras.Model([a, b], layers.Concatenate()([diff, bias]))


def sample_inputs():
    a = np.linspace(-1.0, 1.0, 16, dtype="float32").reshape(2, 8)
    b = np.array([[0.5, -0.25, 1.0], [2.0, 0.0, -1.0]], dtype="float32")
    return [a, b]
