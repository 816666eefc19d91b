import numpy as np
import keras


def build_model(scale=0.5):
    import tensorflow as tf
    from keras import layers

    inp = keras.Input((4,))
    f = lambda t: tf.abs(t) * scale  # noqa: E731
    h = layers.Lambda(f)(layers.Dense(4)(inp))
    return keras.Model(inp, layers.Dense(2)(h))


def sample_inputs():
    return np.linspace(-3.0, 3.0, 8, dtype="float32").reshape(2, 4)
