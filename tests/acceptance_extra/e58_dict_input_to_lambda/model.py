import numpy as np
import keras
from keras import layers


def build_model():
    a = keras.Input((3,), name="a")
    b = keras.Input((3,), name="b")
    mixed = layers.Lambda(lambda d: d["a"] * d["b"] + d["a"], name="mix")(
        {"a": a, "b": b}
    )
    diff = layers.Lambda(lambda p: p[0] - 2.0 * p[1]["x"])([a, {"x": b}])
    out = layers.Dense(2)(layers.Concatenate()([mixed, diff]))
    return keras.Model([a, b], out)


def sample_inputs():
    a = np.linspace(-1.0, 1.0, 6, dtype="float32").reshape(2, 3)
    return [a, a[::-1].copy() * 0.5]
