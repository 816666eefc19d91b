"""Scorer with an auxiliary value head."""

import keras
import numpy as np
from keras import layers, ops

MARGIN = 0.5


def soft_hinge(y_true, y_pred):
    """A smooth hinge with a margin (module constant)."""
    return ops.mean(ops.softplus(MARGIN - y_true * y_pred), axis=-1)


def build_model():
    inputs = keras.Input(shape=(5,))
    h = layers.Dense(6, activation="tanh")(inputs)
    score = layers.Dense(2, name="score")(h)
    value = layers.Dense(1, name="value")(h)
    model = keras.Model(inputs, {"score": score, "value": value})
    model.compile(optimizer="sgd", loss={"score": soft_hinge, "value": "mse"})
    return model


def sample_inputs():
    return np.linspace(-1.0, 1.0, 30, dtype="float32").reshape(6, 5)


def sample_targets():
    return {
        "score": np.array([[1, -1], [-1, 1]] * 3, dtype="float32"),
        "value": np.linspace(0.0, 1.0, 6, dtype="float32").reshape(6, 1),
    }
