import keras
import numpy as np
from keras import layers, ops
from model_layers import MetricFn, peak_error

BAND = 0.2


def build_model():
    inputs = keras.Input(shape=(3,))
    h = layers.Dense(5, activation="relu")(inputs)
    first = layers.Dense(2, name="first")(h)
    second = layers.Dense(2, name="second")(h)
    model = keras.Model(inputs, [first, second])
    model.compile(
        optimizer="adam",
        loss=["mse", "mae"],
        metrics=[
            ["mae", peak_error],
            [MetricFn(band=BAND)],
        ],
    )
    return model


def sample_inputs():
    return np.linspace(-2.0, 2.0, 24, dtype="float32").reshape(8, 3)


def sample_targets():
    y = np.linspace(-0.5, 0.5, 16, dtype="float32").reshape(8, 2)
    return [y, -y]
