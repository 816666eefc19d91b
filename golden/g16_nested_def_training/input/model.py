import tensorflow as tf
from tensorflow.keras import Model, layers


def noisy(x, training=None):
    if training:
        return x + 1.0
    return x


def build_model(offset=0.5, k=2):
    def shifted(t):
        """Shift by the builder's offset."""
        return t + offset

    inp = layers.Input((4,))
    h = layers.Lambda(noisy)(inp)
    h = layers.Lambda(shifted)(h)
    h = layers.Lambda(lambda x, training=None: x * 2.0 if training else x)(h)
    h = layers.Lambda(lambda x, top=k: x[:, :top])(h)
    return Model(inp, h)
