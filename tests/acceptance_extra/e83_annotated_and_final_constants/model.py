from typing import Final

import numpy as np
import keras
from keras import layers

SCALE: float = 0.5
LABELS: Final[tuple[str, ...]] = ("a", "b")
WIDTH: int = len(LABELS) * 2


def build_model():
    inp = keras.Input((6,))
    h = layers.Lambda(lambda t: t[:, :WIDTH] * SCALE)(inp)
    h = layers.Dense(4)(h)
    h = layers.Lambda(lambda t: t[:, : len(LABELS)], name="per_label")(h)
    return keras.Model(inp, h)


def sample_inputs():
    return np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(2, 6)
