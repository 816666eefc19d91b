# BOM and CRLF must survive
import keras
from keras import layers


def build_model():
    inp = keras.Input((3,))
    out = layers.Lambda(
        lambda t: t * 4.0,
    )(inp)
    return keras.Model(inp, out)
