import tensorflow as tf
from tensorflow.keras import Model, layers
from model_layers import Conditional, Noisy, Shifted, Slice, noisy


def build_model(offset=0.5, k=2):
    def shifted(t):
        """Shift by the builder's offset."""
        return t + offset

    inp = layers.Input((4,))
    h = Noisy()(inp)
    h = Shifted(offset=offset)(h)
    h = Conditional()(h)
    h = Slice(top=k)(h)
    return Model(inp, h)
