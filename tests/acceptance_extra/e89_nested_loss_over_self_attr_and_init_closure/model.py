import keras
import numpy as np
from keras import layers, ops


class Trainer:
    def __init__(self, smoothing, init_scale):
        self.smoothing = smoothing
        self.init_scale = init_scale

    def build(self, units, weight):
        inputs = keras.Input(shape=(4,))
        h = layers.Dense(
            units,
            kernel_initializer=lambda shape, dtype=None: ops.ones(shape, dtype=dtype)
            * self.init_scale,
        )(inputs)
        outputs = layers.Dense(3, activation="softmax")(h)
        model = keras.Model(inputs, outputs)

        def smoothed_ce(y_true, y_pred):
            y = y_true * (1.0 - self.smoothing) + self.smoothing / 3.0
            return weight * ops.mean(-y * ops.log(ops.clip(y_pred, 1e-6, 1.0)), axis=-1)

        model.compile(optimizer="adam", loss=smoothed_ce)
        return model


def build_model():
    return Trainer(0.1, 0.05).build(5, 2.0)


def sample_inputs():
    return np.linspace(-1.0, 1.0, 24, dtype="float32").reshape(6, 4)


def sample_targets():
    return np.eye(3, dtype="float32")[[0, 1, 2, 0, 1, 2]]
