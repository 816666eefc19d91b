import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

if tf.__version__.startswith("1."):

    def act(x):
        return tf.nn.relu(x)

else:

    def act(x):
        return x * tf.sigmoid(1.702 * x)


def build_model():
    inp = keras.Input((4,))
    h = layers.Lambda(act)(layers.Dense(4)(inp))
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-2.0, 2.0, 8, dtype="float32").reshape(2, 4)
