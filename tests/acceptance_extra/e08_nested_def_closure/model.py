import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers


def gated_block(x, gate_bias, name):
    def gate(t):
        g = tf.sigmoid(t + gate_bias)
        return t * g

    h = layers.Dense(6)(x)
    return layers.Lambda(gate, name=name)(h)


def build_model():
    inp = keras.Input((6,))
    a = gated_block(inp, 0.0, "gate_a")
    b = gated_block(a, -1.0, "gate_b")
    return keras.Model(inp, layers.Dense(2)(b))


def sample_inputs():
    return np.linspace(-2.0, 2.0, 18, dtype="float32").reshape(3, 6)
