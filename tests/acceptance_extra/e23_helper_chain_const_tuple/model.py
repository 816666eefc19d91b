import numpy as np
import tensorflow as tf
from tensorflow.keras import Model, layers

MEAN = (0.2, 0.4, 0.6)
STD = (MEAN[0] * 2, 0.5, 0.5)


def _standardize(x):
    return (x - np.asarray(MEAN, dtype="float32")) / np.asarray(STD, dtype="float32")


def preprocess(x):
    z = _standardize(x)
    return tf.tanh(z)


def build_model():
    inp = layers.Input((3,))
    h = layers.Lambda(lambda t: preprocess(t) * 2.0)(inp)
    return Model(inp, layers.Dense(2)(layers.Dense(4, activation="relu")(h)))


def sample_inputs():
    return np.array([[0.1, 0.5, 0.9], [0.3, 0.2, 0.4]], dtype="float32")
