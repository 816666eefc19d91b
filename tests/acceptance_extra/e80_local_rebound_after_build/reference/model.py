import numpy as np
import keras
from keras import layers, ops
from model_layers import NormalizeByStd


def build_model():
    eps = 0.5
    inp = keras.Input((4,))
    h = layers.Dense(4)(inp)
    h = NormalizeByStd(eps=eps)(h)
    eps = 4.0  # reused below as a clipping bound
    h = layers.Dense(4, kernel_constraint=keras.constraints.MaxNorm(eps))(h)
    return keras.Model(inp, h)


def sample_inputs():
    return np.linspace(-1.0, 1.0, 8, dtype="float32").reshape(2, 4)
