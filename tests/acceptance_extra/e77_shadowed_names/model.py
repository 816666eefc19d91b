import numpy as np
import tensorflow as tf
import keras
from keras import layers

N = 5
SCALE = 10.0


def damp(t):
    SCALE = 0.1
    return t * SCALE


def build_model():
    inp = keras.Input((N,))
    h = layers.Lambda(lambda t, N=2: t[:, :N])(inp)
    h = layers.Lambda(damp)(h)
    h = layers.Lambda(lambda tf: tf * 2.0)(h)
    h = layers.Lambda(lambda t: [t for t in (t, t * 3.0)][1])(h)
    h = layers.Dense(2)(h)
    return keras.Model(inp, h, name=tf.__name__ + "_model")


def sample_inputs():
    return np.linspace(-1.0, 1.0, 2 * N, dtype="float32").reshape(2, N)
