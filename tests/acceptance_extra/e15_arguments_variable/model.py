import numpy as np
import keras
from keras import layers


def mix(x, alpha, power):
    return alpha * x + (1.0 - alpha) * x**power


def mixed(x, alpha):
    return layers.Lambda(mix, arguments={"alpha": alpha, "power": 2})(x)


def build_model():
    inp = keras.Input((5,))
    h = mixed(layers.Dense(5)(inp), 0.2)
    h = mixed(layers.Dense(5)(h), 0.7)
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-1.0, 1.0, 10, dtype="float32").reshape(2, 5)
