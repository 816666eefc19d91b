import keras
import numpy as np
from keras import layers, ops


def build_model():
    inputs = keras.Input(shape=(3,))
    outputs = layers.Dense(3, name="out")(inputs)
    model = keras.Model(inputs, outputs)
    seen = []
    calls = 0

    def counted_mse(y_true, y_pred):
        nonlocal calls
        calls += 1
        return ops.mean(ops.square(y_pred - y_true), axis=-1)

    def logged_mae(y_true, y_pred):
        seen.append(1)
        return ops.mean(ops.abs(y_true - y_pred), axis=-1)

    model.compile(optimizer="adam", loss=counted_mse, metrics=[logged_mae])
    return model


def sample_inputs():
    return np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(4, 3)


def sample_targets():
    return np.linspace(1.0, -1.0, 12, dtype="float32").reshape(4, 3)
