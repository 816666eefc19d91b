import numpy as np
import keras
from keras import layers


def apply(layer, x):
    return layer(x)


def apply_twice(layer, x):
    return layer(layer(x))


def build_model():
    inp = keras.Input((4,))
    h = apply(layers.Lambda(lambda t: t * 0.5, name="half"), inp)
    h = apply_twice(layers.Lambda(lambda t: t + 1.0), h)
    acts = {
        "sq": layers.Lambda(lambda t: t**2),
        "neg": layers.Lambda(keras.ops.negative, name="neg"),
    }
    h = acts["sq"](h)
    h = layers.Dense(4)(h)
    return keras.Model(inp, layers.Dense(2)(acts["neg"](h)))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
