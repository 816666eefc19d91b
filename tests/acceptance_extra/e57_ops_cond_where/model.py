import numpy as np
import keras
from keras import layers, ops

THRESH = 0.1


def build_model():
    inp = keras.Input((4,))
    gated = layers.Lambda(lambda t: ops.where(t > THRESH, t, ops.zeros_like(t)))(inp)
    h = layers.Dense(4)(inp)
    switched = layers.Lambda(
        lambda t: ops.cond(ops.mean(t) > 0.0, lambda: t * 2.0, lambda: -t),
        name="switch",
    )(h)
    out = layers.Concatenate()([gated, switched])
    return keras.Model(inp, layers.Dense(2)(out))


def sample_inputs():
    return np.linspace(-1.0, 1.5, 12, dtype="float32").reshape(3, 4)
