import keras
from keras import layers


def build_model():
    inp = keras.Input((3,))
    return keras.Model(inp, layers.Lambda(lambda t: t + 2.0)(inp))
