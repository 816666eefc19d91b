import keras
import numpy as np
from keras import layers, ops

ALPHA = 0.75


def focal_loss(gamma=1.0, alpha=0.5, eps=1e-6):
    """Binary focal loss."""

    def focal(y_true, y_pred):
        p = ops.clip(y_pred, eps, 1.0 - eps)
        pt = y_true * p + (1.0 - y_true) * (1.0 - p)
        w = y_true * alpha + (1.0 - y_true) * (1.0 - alpha)
        return ops.mean(-w * (1.0 - pt) ** gamma * ops.log(pt), axis=-1)

    return focal


def build_model():
    inputs = keras.Input(shape=(4,))
    h = layers.Dense(6, activation="relu")(inputs)
    outputs = layers.Dense(3, activation="sigmoid")(h)
    model = keras.Model(inputs, outputs)
    model.compile(
        optimizer="adam",
        loss=focal_loss(gamma=2.0, alpha=ALPHA),
        metrics=["binary_accuracy"],
    )
    return model


def sample_inputs():
    return np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(6, 4)


def sample_targets():
    return np.array([[1, 0, 1], [0, 1, 0]] * 3, dtype="float32")
