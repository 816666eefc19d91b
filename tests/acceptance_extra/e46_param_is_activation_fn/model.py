import numpy as np
import keras
import tensorflow as tf
from keras import layers


def residual(x, act):
    h = layers.Dense(4)(x)
    return layers.Lambda(lambda t: act(t) + t)(h)


def build_model():
    inp = keras.Input((4,))
    h = residual(inp, tf.nn.relu)
    h = residual(h, keras.activations.gelu)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-2.0, 2.0, 8, dtype="float32").reshape(2, 4)
